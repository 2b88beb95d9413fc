package io.gridrun.snapshot.snapshot;

import io.gridrun.snapshot.config.SnapshotProperties;
import io.gridrun.storage.blob.BlobStore;
import java.io.IOException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Runs blob garbage collection on a schedule ({@code gridrun.snapshot.gc-interval}, 1 h). */
@Component
class BlobCollection {

  private static final Logger log = LoggerFactory.getLogger(BlobCollection.class);

  private final SnapshotStore snapshots;
  private final BlobCollector collector;

  BlobCollection(
      SnapshotStore snapshots, BlobStore blobs, SnapshotProperties properties, Clock clock) {
    this.snapshots = snapshots;
    this.collector = new BlobCollector(blobs, properties.gcGrace(), clock);
  }

  // the same property SnapshotProperties binds and validates; an annotation needs the placeholder
  @Scheduled(
      initialDelayString = "${gridrun.snapshot.gc-interval:1h}",
      fixedDelayString = "${gridrun.snapshot.gc-interval:1h}")
  void collect() {
    try {
      BlobCollector.Collected result = collector.collect(snapshots.manifests());
      log.info(
          "Blob collection: {} kept, {} deleted ({} bytes)",
          result.kept(),
          result.deleted(),
          result.deletedBytes());
    } catch (IOException | RuntimeException e) {
      log.warn("Blob collection failed; it will run again", e);
    }
  }
}
