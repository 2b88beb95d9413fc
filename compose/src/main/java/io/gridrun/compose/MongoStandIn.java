package io.gridrun.compose;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The compose cluster's stand-in for MongoDB where no MongoDB image can be pulled:
 * mongo-java-server on all interfaces of its container, the database kept in an H2 file (so a
 * restarted container keeps its data) or in memory. The published {@code docker-compose.yml} names
 * the real {@code mongo} image instead.
 *
 * <p>Usage: {@code java io.gridrun.compose.MongoStandIn [port] [file|-]} (defaults 27017 and {@code
 * /data/db/gridrun.mv}; {@code -} keeps it in memory).
 */
public final class MongoStandIn {

  private MongoStandIn() {}

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 27017;
    String file = args.length > 1 ? args[1] : "/data/db/gridrun.mv";
    MongoBackend backend;
    if ("-".equals(file)) {
      backend = new MemoryBackend();
    } else {
      Path parent = Path.of(file).toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      backend = new H2Backend(file);
    }
    MongoServer server = new MongoServer(backend);
    server.bind("0.0.0.0", port);
    System.out.println("MongoDB stand-in (mongo-java-server) listening on port " + port);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.shutdown();
                  stopped.countDown();
                }));
    stopped.await();
  }
}
