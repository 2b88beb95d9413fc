package io.gridrun.local;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local stack's broker and database: a KRaft broker in this JVM (with a persistent stack its
 * log under {@code $GRIDRUN_HOME/kafka}; a forwarder from a fixed port when one was asked for), and
 * mongo-java-server, file-backed in a child process of its own ({@link DatabaseProcess}) for a
 * persistent stack, in memory in this JVM otherwise.
 */
final class StackInfrastructure implements AutoCloseable {

  private final StackSettings settings;
  private LoopbackKafkaBroker kafka;
  private PortForwarder kafkaForwarder;
  private MongoServer mongo;
  private DatabaseProcess database;
  private String mongoAddress;

  StackInfrastructure(StackSettings settings) {
    this.settings = settings;
  }

  /** Starts the broker, then the database; {@link #close()} stops what started. */
  void start(StartListener listener) throws IOException {
    // A persistent stack keeps the broker's log under $GRIDRUN_HOME/kafka: queued work, committed
    // offsets and the status topic (the events' cursors) survive a restart, even a kill -9. Else a
    // temporary directory: each start is a fresh cluster. Both its listeners are on 127.0.0.1.
    kafka =
        StartedParts.as(
            listener,
            "kafka",
            () ->
                LoopbackKafkaBroker.start(
                    settings.persistent() ? settings.kafkaLog() : null,
                    6,
                    Map.of("auto.create.topics.enable", "true")));
    if (settings.kafkaPort() > 0) {
      // a fixed port so that outside consumers (kcat, dashboards) can attach
      String[] hostPort = kafka.bootstrapServers().split(",")[0].split(":");
      kafkaForwarder =
          new PortForwarder(
              settings.kafkaPort(),
              new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])));
    }
    if (settings.persistent()) {
      // its own process, so that it can be stopped and started alone; each acknowledged write is
      // synced to the file
      Files.createDirectories(settings.serviceLogs());
      database =
          StartedParts.as(
              listener,
              "mongo",
              () ->
                  DatabaseProcess.start(
                      settings.home().resolve("mongo.mv"),
                      ServiceLogs.file(settings.serviceLogs(), "mongo")));
      mongoAddress = database.address();
    } else {
      StartedParts.as(
          listener,
          "mongo",
          () -> {
            mongo = new MongoServer(new MemoryBackend());
            mongo.bind("127.0.0.1", 0);
          });
      InetSocketAddress address = mongo.getLocalAddress();
      mongoAddress = "127.0.0.1:" + address.getPort();
    }
  }

  /** Stops the broker (its log is kept), as an outage would; {@link #startKafka()} ends it. */
  void stopKafka() {
    kafka.close();
  }

  /** Starts the broker again on its log and its ports after {@link #stopKafka()}. */
  void startKafka() throws IOException {
    kafka = kafka.restart(6, Map.of("auto.create.topics.enable", "true"));
  }

  Optional<DatabaseProcess> database() {
    return Optional.ofNullable(database);
  }

  String mongoUri(String database) {
    return "mongodb://" + mongoAddress + "/" + database;
  }

  String kafkaBootstrap() {
    return kafka.bootstrapServers();
  }

  List<Integer> kafkaListenerPorts() {
    return kafka.ports();
  }

  /** Stops the database, then the broker; closing again does nothing. */
  @Override
  public void close() {
    if (mongo != null) {
      mongo.shutdownNow();
      mongo = null;
    }
    if (database != null) {
      try {
        database.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      database = null;
    }
    if (kafkaForwarder != null) {
      try {
        kafkaForwarder.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      kafkaForwarder = null;
    }
    if (kafka != null) {
      kafka.close();
      kafka = null;
    }
  }
}
