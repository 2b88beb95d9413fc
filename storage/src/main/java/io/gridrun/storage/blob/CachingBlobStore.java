package io.gridrun.storage.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;

/**
 * A read-through cache of a remote blob store on this host's disk: a blob is fetched the first time
 * it is read and then served from {@code <cache>/sha256/<first two>/<hash>}, so a 100-run job on
 * one snapshot fetches each blob once per host. Blobs are immutable and named by their content, so
 * a cached copy never goes stale. Several runner processes on a host may share one cache directory:
 * a fetch lands in a temporary file and is moved into place atomically (two processes fetching the
 * same blob at the same moment both fetch it; within a process, one fetch per blob at a time).
 * Writes, deletions and listings go to the remote store.
 *
 * <p>With a size cap the cache is pruned after each fetch, least recently used blobs first ({@link
 * BlobCacheLimit}); a blob pruned by a neighbour process between its check and its read is fetched
 * again.
 */
public class CachingBlobStore implements BlobStore {

  private final BlobStore remote;
  private final FileSystemBlobStore cache;
  private final Path incoming;
  private final BlobCacheLimit limit;
  private final ConcurrentMap<String, Object> fetching = new ConcurrentHashMap<>();

  /** A cache without a size cap. */
  public CachingBlobStore(BlobStore remote, Path cacheDir) {
    this(remote, cacheDir, Long.MAX_VALUE, Clock.systemUTC());
  }

  /**
   * @param maxBytes the most the cached blobs may take together ({@link Long#MAX_VALUE}: no cap);
   *     the blob just fetched stays even when it alone is larger
   * @param clock the time of a blob's last use
   */
  public CachingBlobStore(BlobStore remote, Path cacheDir, long maxBytes, Clock clock) {
    this.remote = remote;
    this.cache = new FileSystemBlobStore(cacheDir);
    this.incoming = cacheDir.resolve("incoming");
    this.limit = new BlobCacheLimit(cacheDir.resolve("sha256"), maxBytes, clock);
  }

  @Override
  public StoredBlob put(InputStream content) throws IOException {
    return remote.put(content);
  }

  @Override
  public StoredBlob put(Path file) throws IOException {
    return remote.put(file);
  }

  @Override
  public boolean exists(String hash) {
    return cache.exists(hash) || remote.exists(hash);
  }

  @Override
  public InputStream open(String hash) throws IOException {
    cached(hash);
    try {
      return cache.open(hash);
    } catch (NoSuchBlobException | NoSuchFileException prunedMeanwhile) {
      cached(hash);
      return cache.open(hash);
    }
  }

  @Override
  public void copyTo(String hash, Path target) throws IOException {
    cached(hash);
    try {
      cache.copyTo(hash, target);
    } catch (NoSuchBlobException | NoSuchFileException prunedMeanwhile) {
      cached(hash);
      cache.copyTo(hash, target);
    }
  }

  /** True when the blob is on this host's disk already. */
  public boolean isCached(String hash) {
    return cache.exists(hash);
  }

  private void cached(String hash) throws IOException {
    if (cache.exists(hash)) {
      if (!limit.unbounded()) {
        limit.used(hash);
      }
      return;
    }
    Object lock = fetching.computeIfAbsent(hash, h -> new Object());
    try {
      synchronized (lock) {
        if (cache.exists(hash)) {
          return;
        }
        Path temp = incoming.resolve(UUID.randomUUID() + ".fetch");
        try {
          remote.copyTo(hash, temp);
          // the bytes are checked against their name before anyone reads them from the cache
          StoredBlob stored = cache.put(temp);
          if (!stored.hash().equals(hash)) {
            cache.delete(stored.hash());
            throw new IOException("blob " + hash + " arrived with other content (" + stored + ")");
          }
          limit.used(hash);
          limit.prune(hash);
        } finally {
          Files.deleteIfExists(temp);
        }
      }
    } finally {
      fetching.remove(hash, lock);
    }
  }

  @Override
  public Instant lastUsed(String hash) throws IOException {
    return remote.lastUsed(hash);
  }

  @Override
  public boolean delete(String hash) throws IOException {
    cache.delete(hash);
    return remote.delete(hash);
  }

  @Override
  public Stream<String> hashes() throws IOException {
    return remote.hashes();
  }
}
