package io.gridrun.storage.s3;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Creates gridrun's bucket when it is missing, for object stores that start empty (a fresh S3Proxy
 * or MinIO of a compose file). Several services may start at once: a bucket another one created in
 * the meantime counts as there.
 */
public final class S3Buckets {

  private static final int NOT_FOUND = 404;

  private S3Buckets() {}

  /** Makes sure {@code bucket} exists; true when this call created it. */
  public static boolean ensure(S3Client s3, String bucket) {
    try {
      s3.headBucket(b -> b.bucket(bucket));
      return false;
    } catch (NoSuchBucketException e) {
      return create(s3, bucket);
    } catch (S3Exception e) {
      // a HEAD answer has no body, so some servers' "no such bucket" is a bare 404
      if (e.statusCode() == NOT_FOUND) {
        return create(s3, bucket);
      }
      throw e;
    }
  }

  private static boolean create(S3Client s3, String bucket) {
    try {
      s3.createBucket(b -> b.bucket(bucket));
      return true;
    } catch (BucketAlreadyOwnedByYouException e) {
      return false;
    }
  }
}
