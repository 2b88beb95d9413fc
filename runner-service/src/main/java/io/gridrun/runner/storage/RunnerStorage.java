package io.gridrun.runner.storage;

import io.gridrun.platform.storage.ObjectStorage;
import io.gridrun.storage.artifact.ArtifactStore;
import io.gridrun.storage.blob.BlobStore;
import io.gridrun.storage.blob.CachingBlobStore;
import io.gridrun.storage.blob.FileSystemBlobStore;
import io.gridrun.storage.logs.StepLogStore;
import io.gridrun.storage.object.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;

/**
 * What a runner reads and writes besides its working copies: with shared directories (the default),
 * the blob store, log store and artifact store on them; without ({@code gridrun.storage.kind=s3}),
 * the bucket for blobs (through a cache on this host's disk, so a job's runs fetch each blob once
 * per host), artifacts and finished logs, log files on the runner's own disk, and the {@code
 * gridrun.logs} topic for running steps' lines.
 */
public final class RunnerStorage {

  private final BlobStore blobs;
  private final StepLogStore logs;
  private final ArtifactStore artifacts;
  private final ObjectStore logArchive;
  private final LogShipping shipping;

  private RunnerStorage(
      BlobStore blobs,
      StepLogStore logs,
      ArtifactStore artifacts,
      ObjectStore logArchive,
      LogShipping shipping) {
    this.blobs = blobs;
    this.logs = logs;
    this.artifacts = artifacts;
    this.logArchive = logArchive;
    this.shipping = shipping;
  }

  /** Directories shared by every service. */
  public static RunnerStorage shared(Path blobs, Path logs, Path artifacts) {
    if (blobs == null || logs == null) {
      throw new IllegalStateException(
          "gridrun.storage.blobs and gridrun.storage.logs must name the directories shared with"
              + " the other services (or set gridrun.storage.kind=s3)");
    }
    return new RunnerStorage(
        new FileSystemBlobStore(blobs),
        new StepLogStore(logs),
        new ArtifactStore(artifacts),
        null,
        LogShipping.NONE);
  }

  /**
   * No disk shared with the other services, except {@code /data}, which must exist: a runner
   * without it refuses to start.
   *
   * @param localLogs this runner's own log files
   * @param blobCache this host's blob cache (runner processes of a host may share it)
   * @param blobCacheMax the most the blob cache may hold, least recently used blobs going first
   * @param logTopic sends to the {@code gridrun.logs} topic
   */
  public static RunnerStorage objectStore(
      ObjectStorage bucket,
      Path localLogs,
      Path blobCache,
      long blobCacheMax,
      Path data,
      BiConsumer<String, String> logTopic) {
    if (data == null || !Files.isDirectory(data)) {
      throw new IllegalStateException(
          "gridrun.storage.data ("
              + data
              + ") does not exist: /data is a directory every runner shares (an NFS mount, a"
              + " ReadWriteMany volume) that the operator provides; gridrun stores it nowhere"
              + " else, so a runner without it does not start (docs/deploy.md)");
    }
    StepLogStore logs = new StepLogStore(localLogs);
    ObjectStore archive = bucket.logs();
    return new RunnerStorage(
        new CachingBlobStore(bucket.blobs(), blobCache, blobCacheMax, java.time.Clock.systemUTC()),
        logs,
        bucket.artifacts(),
        archive,
        new LiveLogShipping(logs, archive, logTopic));
  }

  public BlobStore blobs() {
    return blobs;
  }

  public StepLogStore logs() {
    return logs;
  }

  public ArtifactStore artifacts() {
    return artifacts;
  }

  public LogShipping shipping() {
    return shipping;
  }

  /** Removes a run's logs: the runner's files, and the stored ones when there is a store. */
  public void deleteLogs(String runId) throws IOException {
    logs.deleteRun(runId);
    if (logArchive != null) {
      logArchive.deleteAll(runId + "/");
    }
  }

  /** Removes the logs of every run of a job. */
  public void deleteLogsOfJob(String jobId) throws IOException {
    logs.deleteRunsOf(jobId);
    if (logArchive != null) {
      logArchive.deleteAll(jobId + "-r");
    }
  }
}
