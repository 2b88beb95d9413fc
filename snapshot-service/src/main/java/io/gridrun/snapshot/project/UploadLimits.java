package io.gridrun.snapshot.project;

/**
 * What one project upload may hold, each counted while the archive streams in.
 *
 * @param maxCompressedBytes the archive as sent ({@code
 *     gridrun.snapshot.max-upload-compressed-bytes})
 * @param maxBytes unpacked file bytes, hard-link copies included ({@code
 *     gridrun.snapshot.max-upload-bytes})
 * @param maxEntries entries of every kind: files, directories, links ({@code
 *     gridrun.snapshot.max-upload-entries})
 * @param maxPathLength characters of an entry's path or link target ({@code
 *     gridrun.snapshot.max-upload-path-length})
 */
public record UploadLimits(
    long maxCompressedBytes, long maxBytes, long maxEntries, int maxPathLength) {

  public static final UploadLimits DEFAULT = new UploadLimits(1L << 30, 1L << 30, 100_000, 1024);

  /**
   * Bytes of the unpacked tar stream (headers and padding included) allowed before it is cut off:
   * the file bytes plus two header blocks per entry, so that headers cannot hide a bomb.
   */
  long maxTarStreamBytes() {
    long headers = Math.multiplyExact(maxEntries, 2048L);
    return maxBytes > Long.MAX_VALUE - headers - 1024 ? Long.MAX_VALUE : maxBytes + headers + 1024;
  }
}
