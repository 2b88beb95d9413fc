package io.gridrun.platform.storage;

import io.gridrun.storage.artifact.ArtifactStore;
import io.gridrun.storage.blob.BlobStore;
import io.gridrun.storage.object.ObjectStore;
import io.gridrun.storage.s3.S3BlobStore;
import io.gridrun.storage.s3.S3ObjectStore;
import io.gridrun.storage.s3.S3Settings;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The bucket that replaces the shared directories when services share no disk: snapshot blobs under
 * {@code <prefix>blobs/}, finished step logs under {@code <prefix>logs/<runId>/}, artifacts under
 * {@code <prefix>artifacts/}. A bean only with {@code gridrun.storage.kind=s3}; services use their
 * directories when it is absent.
 */
public final class ObjectStorage {

  private final S3Client s3;
  private final S3Settings settings;

  public ObjectStorage(S3Client s3, S3Settings settings) {
    this.s3 = s3;
    this.settings = settings;
  }

  /** The content-addressed store of snapshots (files and manifests). */
  public BlobStore blobs() {
    return new S3BlobStore(s3, settings.under("blobs/"));
  }

  /** Finished step logs, {@code <runId>/<stepId>.log} and {@code .times}. */
  public ObjectStore logs() {
    return new S3ObjectStore(s3, settings.under("logs/"));
  }

  /** Steps' artifacts. */
  public ArtifactStore artifacts() {
    return new ArtifactStore(
        new S3BlobStore(s3, settings.under("artifacts/")),
        new S3ObjectStore(s3, settings.under("artifacts/")));
  }
}
