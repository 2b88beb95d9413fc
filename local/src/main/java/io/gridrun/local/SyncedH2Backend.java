package io.gridrun.local;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.mvstore.MVStore;

/**
 * mongo-java-server's file backend made durable per write: after each command that changes data (an
 * insert, update or delete batch, an index, a drop) the store is committed and its file forced to
 * disk before the answer is sent, so a write the client saw acknowledged survives a kill -9 of the
 * database (mongo-java-server alone commits once a second and syncs only on close). Writes that
 * finish while another one syncs share its sync.
 */
final class SyncedH2Backend extends H2Backend {

  private static final Set<String> WRITES =
      Set.of(
          "insert",
          "update",
          "delete",
          "findandmodify",
          "createindexes",
          "create",
          "drop",
          "dropindexes",
          "dropdatabase",
          "renamecollection");

  private final AtomicLong written = new AtomicLong();
  private final Object syncing = new Object();
  private final boolean eachWrite;
  private long synced;

  /** {@code eachWrite} false leaves commits to mongo-java-server (once a second, no sync). */
  SyncedH2Backend(String file, boolean eachWrite) {
    super(MVStore.open(file));
    this.eachWrite = eachWrite;
  }

  @Override
  public Document handleCommand(Channel channel, String database, String command, Document query) {
    if (!eachWrite || !WRITES.contains(command.toLowerCase(Locale.ROOT))) {
      return super.handleCommand(channel, database, command, query);
    }
    try {
      return super.handleCommand(channel, database, command, query);
    } finally {
      durable(); // a failed batch may have written part of itself
    }
  }

  /** Commits and syncs everything written so far, unless a sync since this write did. */
  private void durable() {
    long mine = written.incrementAndGet();
    synchronized (syncing) {
      if (synced >= mine) {
        return;
      }
      long upTo = written.get();
      commit();
      getMvStore().sync();
      synced = upTo;
    }
  }
}
