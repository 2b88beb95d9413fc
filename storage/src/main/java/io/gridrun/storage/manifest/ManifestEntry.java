package io.gridrun.storage.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One path of a snapshot.
 *
 * @param path relative to the project root, '/'-separated
 * @param type {@code file}, {@code dir} (listed only when empty) or {@code link}
 * @param mode POSIX permission bits, e.g. {@code 0755} = 493
 * @param size bytes of a file
 * @param hash SHA-256 of a file's bytes, its key in the blob store
 * @param target a link's target, relative and inside the project
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ManifestEntry(
    String path, String type, Integer mode, Long size, String hash, String target) {

  public static final String FILE = "file";
  public static final String DIR = "dir";
  public static final String LINK = "link";

  public static ManifestEntry file(String path, int mode, long size, String hash) {
    return new ManifestEntry(path, FILE, mode, size, hash, null);
  }

  public static ManifestEntry dir(String path, int mode) {
    return new ManifestEntry(path, DIR, mode, null, null, null);
  }

  public static ManifestEntry link(String path, String target) {
    return new ManifestEntry(path, LINK, null, null, null, target);
  }
}
