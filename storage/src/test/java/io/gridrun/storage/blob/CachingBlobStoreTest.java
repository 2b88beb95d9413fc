package io.gridrun.storage.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-host blob cache under a size cap: least recently used blobs go first. */
class CachingBlobStoreTest {

  private static final int SIZE = 100;

  @TempDir Path temp;

  private final TickingClock clock = new TickingClock();

  @Test
  void theLeastRecentlyUsedBlobGoesWhenTheCacheOutgrowsItsCap() throws IOException {
    FetchCounting remote = new FetchCounting(new FileSystemBlobStore(temp.resolve("remote")));
    String a = remote.put(blob('a')).hash();
    String b = remote.put(blob('b')).hash();
    String c = remote.put(blob('c')).hash();
    CachingBlobStore host =
        new CachingBlobStore(remote, temp.resolve("cache"), 2 * SIZE + SIZE / 2, clock);

    read(host, a);
    read(host, b);
    read(host, a); // a used again: b is now the least recently used
    assertThat(remote.fetched).containsExactly(a, b);

    read(host, c); // three blobs exceed the cap of two and a half
    assertThat(host.isCached(a)).isTrue();
    assertThat(host.isCached(b)).as("least recently used").isFalse();
    assertThat(host.isCached(c)).isTrue();
    assertThat(cachedBytes()).isLessThanOrEqualTo(2 * SIZE + SIZE / 2);

    assertThat(read(host, b)).isEqualTo(content('b')); // fetched again, and a goes now
    assertThat(remote.fetched).containsExactly(a, b, c, b);
    assertThat(host.isCached(a)).isFalse();
    assertThat(host.isCached(c)).isTrue();
  }

  @Test
  void usesByAnotherProcessOnTheHostCount() throws IOException {
    FetchCounting remote = new FetchCounting(new FileSystemBlobStore(temp.resolve("remote")));
    String a = remote.put(blob('a')).hash();
    String b = remote.put(blob('b')).hash();
    String c = remote.put(blob('c')).hash();
    long cap = 2 * SIZE;
    CachingBlobStore one = new CachingBlobStore(remote, temp.resolve("cache"), cap, clock);
    CachingBlobStore two = new CachingBlobStore(remote, temp.resolve("cache"), cap, clock);

    read(one, a);
    read(one, b);
    read(two, a); // the other process's use of a makes b the oldest
    read(one, c);

    assertThat(one.isCached(a)).isTrue();
    assertThat(one.isCached(b)).isFalse();
    assertThat(remote.fetched).containsExactly(a, b, c);
  }

  @Test
  void aBlobLargerThanTheCapIsStillServedAndTheRestMakesRoom() throws IOException {
    FetchCounting remote = new FetchCounting(new FileSystemBlobStore(temp.resolve("remote")));
    String a = remote.put(blob('a')).hash();
    String b = remote.put(blob('b')).hash();
    CachingBlobStore host = new CachingBlobStore(remote, temp.resolve("cache"), SIZE / 2, clock);

    assertThat(read(host, a)).isEqualTo(content('a'));
    Path copy = temp.resolve("copy");
    host.copyTo(b, copy);

    assertThat(Files.readString(copy)).isEqualTo(content('b'));
    assertThat(host.isCached(a)).isFalse();
    assertThat(host.isCached(b)).as("the blob just fetched stays").isTrue();
  }

  @Test
  void withoutACapNothingIsPruned() throws IOException {
    FetchCounting remote = new FetchCounting(new FileSystemBlobStore(temp.resolve("remote")));
    List<String> hashes = new ArrayList<>();
    for (char c = 'a'; c <= 'e'; c++) {
      hashes.add(remote.put(blob(c)).hash());
    }
    CachingBlobStore host = new CachingBlobStore(remote, temp.resolve("cache"));
    for (String hash : hashes) {
      read(host, hash);
    }
    assertThat(hashes).allSatisfy(h -> assertThat(host.isCached(h)).isTrue());
    assertThat(cachedBytes()).isEqualTo(5L * SIZE);
  }

  private String read(CachingBlobStore host, String hash) throws IOException {
    clock.tick();
    try (InputStream in = host.open(hash)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private long cachedBytes() throws IOException {
    try (var files = Files.walk(temp.resolve("cache/sha256"))) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static InputStream blob(char c) {
    return new ByteArrayInputStream(content(c).getBytes(StandardCharsets.UTF_8));
  }

  private static String content(char c) {
    return String.valueOf(c).repeat(SIZE);
  }

  /** A clock that moves a second on at each read, so that uses have distinct times. */
  private static final class TickingClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void tick() {
      now = now.plus(Duration.ofSeconds(1));
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** The remote store, recording each blob fetched from it. */
  private static final class FetchCounting implements BlobStore {
    private final BlobStore delegate;
    final List<String> fetched = new ArrayList<>();

    FetchCounting(BlobStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public StoredBlob put(InputStream content) throws IOException {
      return delegate.put(content);
    }

    @Override
    public StoredBlob put(Path file) throws IOException {
      return delegate.put(file);
    }

    @Override
    public boolean exists(String hash) {
      return delegate.exists(hash);
    }

    @Override
    public InputStream open(String hash) throws IOException {
      fetched.add(hash);
      return delegate.open(hash);
    }

    @Override
    public void copyTo(String hash, Path target) throws IOException {
      fetched.add(hash);
      delegate.copyTo(hash, target);
    }

    @Override
    public java.time.Instant lastUsed(String hash) throws IOException {
      return delegate.lastUsed(hash);
    }

    @Override
    public boolean delete(String hash) throws IOException {
      return delegate.delete(hash);
    }

    @Override
    public java.util.stream.Stream<String> hashes() throws IOException {
      return delegate.hashes();
    }
  }
}
