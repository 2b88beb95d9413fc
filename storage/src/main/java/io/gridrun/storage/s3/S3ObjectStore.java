package io.gridrun.storage.s3;

import io.gridrun.storage.object.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Objects in an S3 bucket, each under {@code <prefix><key>}. */
public class S3ObjectStore implements ObjectStore {

  private final S3Client s3;
  private final String bucket;
  private final String prefix;

  public S3ObjectStore(S3Client s3, S3Settings settings) {
    this.s3 = s3;
    this.bucket = settings.bucket();
    this.prefix = settings.prefix();
  }

  @Override
  public void put(String key, Path file) throws IOException {
    try {
      s3.putObject(b -> b.bucket(bucket).key(keyOf(key)), RequestBody.fromFile(file));
    } catch (SdkException e) {
      throw failed("store", key, e);
    }
  }

  @Override
  public void put(String key, byte[] bytes) throws IOException {
    try {
      s3.putObject(b -> b.bucket(bucket).key(keyOf(key)), RequestBody.fromBytes(bytes));
    } catch (SdkException e) {
      throw failed("store", key, e);
    }
  }

  @Override
  public Optional<InputStream> open(String key) throws IOException {
    try {
      return Optional.of(s3.getObject(b -> b.bucket(bucket).key(keyOf(key))));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw failed("read", key, e);
    }
  }

  @Override
  public boolean exists(String key) throws IOException {
    try {
      s3.headObject(b -> b.bucket(bucket).key(keyOf(key)));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw failed("look up", key, e);
    } catch (SdkException e) {
      throw failed("look up", key, e);
    }
  }

  @Override
  public void delete(String key) throws IOException {
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(keyOf(key)));
    } catch (SdkException e) {
      throw failed("delete", key, e);
    }
  }

  @Override
  public List<String> list(String keyPrefix) throws IOException {
    List<String> keys = new ArrayList<>();
    try {
      for (S3Object object :
          s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix + keyPrefix)).contents()) {
        // a key ending in '/' is a folder marker some servers list (S3Proxy's file system
        // backend, consoles that "create folders"), never an object of ours
        if (!object.key().endsWith("/")) {
          keys.add(object.key().substring(prefix.length()));
        }
      }
    } catch (SdkException e) {
      throw failed("list", keyPrefix, e);
    }
    return keys;
  }

  private String keyOf(String key) {
    return prefix + ObjectStore.checked(key);
  }

  static IOException failed(String what, String key, SdkException e) {
    return new IOException("could not " + what + " '" + key + "' in the object store: " + e, e);
  }
}
