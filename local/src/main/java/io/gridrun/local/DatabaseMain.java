package io.gridrun.local;

import de.bwaldvogel.mongo.MongoServer;

/**
 * The local stack's database in a process of its own: {@code DatabaseMain <file> <port>} serves the
 * MongoDB wire protocol on {@code 127.0.0.1:<port>} from the file, each acknowledged write synced
 * to it ({@link SyncedH2Backend}). Run under {@link ChildMain}, it stops when the launcher is gone;
 * SIGTERM closes the file cleanly.
 */
public final class DatabaseMain {

  private DatabaseMain() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: DatabaseMain <file> <port>");
      System.exit(2);
    }
    // GRIDRUN_DATABASE_SYNC=second: mongo-java-server's own commit once a second, faster on slow
    // disks, and a kill -9 may lose the last second of acknowledged writes
    boolean eachWrite = !"second".equals(System.getenv("GRIDRUN_DATABASE_SYNC"));
    MongoServer server = new MongoServer(new SyncedH2Backend(args[0], eachWrite));
    server.bind(InternalServices.LOOPBACK, Integer.parseInt(args[1]));
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow, "database-stop"));
    System.out.println("gridrun database: serving " + args[0] + " on port " + args[1]);
  }
}
