package io.gridrun.storage.s3;

import java.net.URI;

/**
 * Where the S3-compatible object store is. Credentials are not settings: they come from the AWS
 * SDK's default provider chain (environment {@code AWS_ACCESS_KEY_ID}/{@code
 * AWS_SECRET_ACCESS_KEY}, system properties, profile files, web identity, container or instance
 * roles).
 *
 * @param bucket the bucket; it must exist
 * @param prefix put before every key (e.g. {@code gridrun/}); empty for none
 * @param endpoint the S3 API's address, or null for AWS's own
 * @param region the signing region (any value for most S3-compatible servers)
 * @param pathStyle {@code http://host/bucket/key} instead of {@code http://bucket.host/key}, as
 *     most self-hosted servers (MinIO, Ceph, S3Proxy) need
 */
public record S3Settings(
    String bucket, String prefix, URI endpoint, String region, boolean pathStyle) {

  public S3Settings {
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalArgumentException("an S3 bucket is required");
    }
    prefix = prefix == null ? "" : prefix;
    if (!prefix.isEmpty() && !prefix.endsWith("/")) {
      prefix = prefix + "/";
    }
    region = region == null || region.isBlank() ? "us-east-1" : region;
  }

  /** The same store with {@code more} appended to the key prefix. */
  public S3Settings under(String more) {
    return new S3Settings(bucket, prefix + more, endpoint, region, pathStyle);
  }
}
