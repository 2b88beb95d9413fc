package io.gridrun.runner.storage;

import io.gridrun.storage.blob.BlobStore;
import io.gridrun.storage.manifest.Materializer;
import io.gridrun.storage.s3.S3BlobStore;
import io.gridrun.storage.s3.S3Clients;
import io.gridrun.storage.s3.S3Settings;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * The init container of a step Pod when the working copy comes from the object store ({@code
 * gridrun.kubernetes.working-copy=object-store}): materialises the snapshot manifest {@code
 * GRIDRUN_MANIFEST} into {@code GRIDRUN_TARGET} from the bucket the services share ({@code
 * GRIDRUN_S3_BUCKET}, {@code GRIDRUN_S3_PREFIX}, {@code GRIDRUN_S3_ENDPOINT}, {@code
 * GRIDRUN_S3_REGION}, {@code GRIDRUN_S3_PATH_STYLE}; credentials from the AWS SDK's chain). Run
 * from the runner-service image with Spring Boot's {@code PropertiesLauncher}.
 */
public final class FetchWorkingCopy {

  private FetchWorkingCopy() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
    Path target = Path.of(required(env, "GRIDRUN_TARGET"));
    fetch(blobs(env), required(env, "GRIDRUN_MANIFEST"), target);
    System.out.println("gridrun: working copy " + env.get("GRIDRUN_MANIFEST") + " in " + target);
  }

  /** Materialises the manifest's files under {@code target}. */
  static void fetch(BlobStore blobs, String manifest, Path target) throws java.io.IOException {
    new Materializer(blobs, 4).materialize(manifest, target);
  }

  /** The blob store of the bucket the environment names, as the services lay it out. */
  static BlobStore blobs(Map<String, String> env) {
    String endpoint = env.get("GRIDRUN_S3_ENDPOINT");
    S3Settings settings =
        new S3Settings(
            required(env, "GRIDRUN_S3_BUCKET"),
            env.getOrDefault("GRIDRUN_S3_PREFIX", ""),
            endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint),
            env.get("GRIDRUN_S3_REGION"),
            Boolean.parseBoolean(env.getOrDefault("GRIDRUN_S3_PATH_STYLE", "true")));
    return new S3BlobStore(S3Clients.create(settings), settings.under("blobs/"));
  }

  private static String required(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is not set");
    }
    return value;
  }
}
