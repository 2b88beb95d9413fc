package io.gridrun.storage.object;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Objects under names ({@code a/b/c}), as opposed to the content-addressed {@link
 * io.gridrun.storage.blob.BlobStore}: finished step logs, artifact indexes and their reference
 * markers. Implementations: a directory ({@link FileSystemObjectStore}) and an S3 bucket ({@link
 * io.gridrun.storage.s3.S3ObjectStore}). Keys are relative, {@code /}-separated, and never contain
 * {@code ..}.
 */
public interface ObjectStore {

  /** Stores (or replaces) the object with the file's bytes. */
  void put(String key, Path file) throws IOException;

  /** Stores (or replaces) the object with these bytes. */
  void put(String key, byte[] bytes) throws IOException;

  /** The object's bytes, or empty when there is no such object. */
  Optional<InputStream> open(String key) throws IOException;

  boolean exists(String key) throws IOException;

  /** Removes the object; nothing happens when there is none. */
  void delete(String key) throws IOException;

  /** The keys that begin with {@code prefix}, in no particular order. */
  List<String> list(String prefix) throws IOException;

  /** Removes every object whose key begins with {@code prefix}. */
  default void deleteAll(String prefix) throws IOException {
    for (String key : list(prefix)) {
      delete(key);
    }
  }

  /** Refuses keys that could leave the store's root. */
  static String checked(String key) {
    if (key.isEmpty()
        || key.startsWith("/")
        || key.contains("\\")
        || key.contains("//")
        || java.util.Arrays.asList(key.split("/")).contains("..")) {
      throw new IllegalArgumentException("not a valid object key: '" + key + "'");
    }
    return key;
  }
}
