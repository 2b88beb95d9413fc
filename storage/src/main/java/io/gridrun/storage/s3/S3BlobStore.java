package io.gridrun.storage.s3;

import io.gridrun.storage.blob.BlobStore;
import io.gridrun.storage.blob.NoSuchBlobException;
import io.gridrun.storage.blob.StoredBlob;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Blobs as objects {@code <prefix>sha256/<hash>} in an S3-compatible bucket. A put spools the
 * stream to a temporary file while hashing it (the key is the hash, known only at the end), then
 * uploads it unless the object is there already. A re-put of a stored blob copies the object onto
 * itself, which renews its last-modified time, so the collection's grace period counts from the
 * last use, as with the file-system store. Objects are written whole or not at all (an S3 PUT is
 * atomic), so readers never see a partial blob.
 */
public class S3BlobStore implements BlobStore {

  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

  private final S3Client s3;
  private final String bucket;
  private final String prefix;

  public S3BlobStore(S3Client s3, S3Settings settings) {
    this.s3 = s3;
    this.bucket = settings.bucket();
    this.prefix = settings.prefix() + "sha256/";
  }

  @Override
  public StoredBlob put(InputStream content) throws IOException {
    Path temp = Files.createTempFile("gridrun-blob-", ".part");
    try {
      MessageDigest digest = sha256();
      long size;
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), digest)) {
        size = content.transferTo(out);
      }
      String hash = HexFormat.of().formatHex(digest.digest());
      return store(hash, size, temp);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  @Override
  public StoredBlob put(Path file) throws IOException {
    String hash;
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = sha256();
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      hash = HexFormat.of().formatHex(digest.digest());
    }
    return store(hash, Files.size(file), file);
  }

  private StoredBlob store(String hash, long size, Path file) throws IOException {
    try {
      if (head(hash) != null) {
        touch(hash);
        return new StoredBlob(hash, size, false);
      }
      s3.putObject(b -> b.bucket(bucket).key(keyOf(hash)), RequestBody.fromFile(file));
      return new StoredBlob(hash, size, true);
    } catch (SdkException e) {
      throw S3ObjectStore.failed("store blob", hash, e);
    }
  }

  /** Renews the object's last-modified time by copying it onto itself. */
  private void touch(String hash) {
    try {
      s3.copyObject(
          b ->
              b.sourceBucket(bucket)
                  .sourceKey(keyOf(hash))
                  .destinationBucket(bucket)
                  .destinationKey(keyOf(hash))
                  .metadataDirective(MetadataDirective.REPLACE)
                  .metadata(java.util.Map.of("gridrun-used", Instant.now().toString())));
    } catch (SdkException ignored) {
      // a blob being collected right now is written again by the next put
    }
  }

  @Override
  public boolean reuse(String hash, long size) {
    if (!HASH.matcher(hash).matches()) {
      return false;
    }
    try {
      HeadObjectResponse head = head(hash);
      if (head == null || (head.contentLength() != null && head.contentLength() != size)) {
        return false;
      }
    } catch (SdkException e) {
      return false; // read the file and put it instead
    }
    touch(hash);
    return true;
  }

  @Override
  public boolean exists(String hash) {
    if (!HASH.matcher(hash).matches()) {
      return false;
    }
    try {
      return head(hash) != null;
    } catch (SdkException e) {
      throw new java.io.UncheckedIOException(S3ObjectStore.failed("look up blob", hash, e));
    }
  }

  private HeadObjectResponse head(String hash) {
    try {
      return s3.headObject(b -> b.bucket(bucket).key(keyOf(hash)));
    } catch (NoSuchKeyException e) {
      return null;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  @Override
  public InputStream open(String hash) throws IOException {
    checked(hash);
    try {
      return s3.getObject(b -> b.bucket(bucket).key(keyOf(hash)));
    } catch (NoSuchKeyException e) {
      throw new NoSuchBlobException(hash);
    } catch (SdkException e) {
      throw S3ObjectStore.failed("read blob", hash, e);
    }
  }

  @Override
  public void copyTo(String hash, Path target) throws IOException {
    try (InputStream in = open(hash)) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public Instant lastUsed(String hash) throws IOException {
    checked(hash);
    HeadObjectResponse head;
    try {
      head = head(hash);
    } catch (SdkException e) {
      throw S3ObjectStore.failed("look up blob", hash, e);
    }
    if (head == null) {
      throw new NoSuchBlobException(hash);
    }
    return head.lastModified();
  }

  @Override
  public boolean delete(String hash) throws IOException {
    checked(hash);
    try {
      if (head(hash) == null) {
        return false;
      }
      s3.deleteObject(b -> b.bucket(bucket).key(keyOf(hash)));
      return true;
    } catch (SdkException e) {
      throw S3ObjectStore.failed("delete blob", hash, e);
    }
  }

  @Override
  public Stream<String> hashes() throws IOException {
    try {
      return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
          .map(o -> o.key().substring(prefix.length()))
          .filter(name -> HASH.matcher(name).matches());
    } catch (SdkException e) {
      throw S3ObjectStore.failed("list blobs", prefix, e);
    }
  }

  private static void checked(String hash) throws NoSuchBlobException {
    if (!HASH.matcher(hash).matches()) {
      throw new NoSuchBlobException(hash);
    }
  }

  private String keyOf(String hash) {
    return prefix + hash;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }
}
