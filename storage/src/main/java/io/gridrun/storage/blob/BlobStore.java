package io.gridrun.storage.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * Content-addressed storage: each distinct content is stored once, under the lower-case hex SHA-256
 * of its bytes. Stored blobs are immutable. Implementations: a directory shared by snapshot-service
 * and the runners ({@link FileSystemBlobStore}); an S3-compatible bucket would be another.
 */
public interface BlobStore {

  /** Stores the stream's bytes unless a blob with the same content exists already. */
  StoredBlob put(InputStream content) throws IOException;

  /** Stores a file's bytes unless a blob with the same content exists already. */
  default StoredBlob put(Path file) throws IOException {
    try (InputStream in = java.nio.file.Files.newInputStream(file)) {
      return put(in);
    }
  }

  /**
   * Puts whose durability is settled together, for a writer that stores many blobs before it
   * publishes what names them (a snapshot and its manifest): {@link Batch#put} stores as {@link
   * #put(Path)} does but may leave forcing the bytes to disk to {@link Batch#sync}, which the
   * writer calls before it publishes. Many forces at once cost far less than as many one after
   * another (the file system commits them together). A store whose puts are durable when they
   * return (an object store) has nothing to sync.
   */
  default Batch batch() {
    return new Batch() {
      @Override
      public StoredBlob put(Path file) throws IOException {
        return BlobStore.this.put(file);
      }

      @Override
      public void sync() {}
    };
  }

  /** See {@link #batch()}. */
  interface Batch {

    StoredBlob put(Path file) throws IOException;

    /** Every blob put or found by this batch is durable when this returns. */
    void sync() throws IOException;
  }

  boolean exists(String hash);

  /**
   * Whether the blob is stored (with {@code size} bytes where the store can tell cheaply), marking
   * it used now as a re-put would (so that a collection running beside a snapshot that refers to it
   * without reading its file again keeps it).
   */
  default boolean reuse(String hash, long size) {
    return exists(hash);
  }

  /**
   * {@link #reuse(String, long)}, but a blob marked used less than {@code markedWithin} ago is not
   * marked again (a write per reused file spared): a caller that keeps blobs for longer than that
   * after their last mark (a collection's grace period) loses nothing.
   */
  default boolean reuse(String hash, long size, java.time.Duration markedWithin) {
    return reuse(hash, size);
  }

  /** Opens a blob for reading. */
  InputStream open(String hash) throws IOException;

  /**
   * Writes a blob's bytes to a new file at {@code target} (a copy, never a link, so that changing
   * the file cannot change the blob).
   */
  void copyTo(String hash, Path target) throws IOException;

  /** When the blob was last written or re-put; garbage collection spares recently used blobs. */
  Instant lastUsed(String hash) throws IOException;

  /** Removes a blob; returns false if it did not exist. */
  boolean delete(String hash) throws IOException;

  /** Every stored blob's hash. The caller closes the stream. */
  Stream<String> hashes() throws IOException;
}
