package io.gridrun.storage.blob;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Keeps a host's blob cache directory under a size cap, least recently used blobs going first. A
 * blob's last use is its file's modification time, set when it is fetched and each time it is
 * served from the cache (access times are often not kept: {@code noatime}, {@code relatime}), so
 * several runner processes sharing the directory see each other's uses. Removing a blob another
 * process is about to read is harmless: that process fetches it again.
 */
final class BlobCacheLimit {

  private final Path objects;
  private final long maxBytes;
  private final Clock clock;

  /**
   * @param objects the cache's {@code sha256} directory
   * @param maxBytes the cap; {@link Long#MAX_VALUE} = none
   */
  BlobCacheLimit(Path objects, long maxBytes, Clock clock) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("a cache cap cannot be negative: " + maxBytes);
    }
    this.objects = objects;
    this.maxBytes = maxBytes;
    this.clock = clock;
  }

  boolean unbounded() {
    return maxBytes == Long.MAX_VALUE;
  }

  /** Marks the cached blob as used now. */
  void used(String hash) {
    try {
      Files.setLastModifiedTime(pathOf(hash), FileTime.from(clock.instant()));
    } catch (NoSuchFileException gone) {
      // removed by a neighbour's pruning meanwhile: the next read fetches it again
    } catch (IOException e) {
      throw new UncheckedIOException("could not mark blob " + hash + " as used", e);
    }
  }

  /**
   * Removes least recently used blobs until the cache holds at most the cap, never {@code keep}
   * (the blob just fetched, which its reader is about to read).
   *
   * @return the bytes removed
   */
  long prune(String keep) throws IOException {
    if (unbounded() || !Files.isDirectory(objects)) {
      return 0;
    }
    record Entry(Path path, long size, FileTime used) {}
    List<Entry> entries = new ArrayList<>();
    long total = 0;
    try (Stream<Path> files = Files.walk(objects, 2)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        try {
          BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
          entries.add(new Entry(file, attributes.size(), attributes.lastModifiedTime()));
          total += attributes.size();
        } catch (NoSuchFileException gone) {
          // pruned by a neighbour meanwhile
        }
      }
    }
    if (total <= maxBytes) {
      return 0;
    }
    entries.sort(Comparator.comparing(Entry::used));
    long removed = 0;
    for (Entry entry : entries) {
      if (total - removed <= maxBytes) {
        break;
      }
      if (entry.path().getFileName().toString().equals(keep)) {
        continue;
      }
      if (Files.deleteIfExists(entry.path())) {
        removed += entry.size();
      }
    }
    return removed;
  }

  Path pathOf(String hash) {
    return objects.resolve(hash.substring(0, 2)).resolve(hash);
  }
}
