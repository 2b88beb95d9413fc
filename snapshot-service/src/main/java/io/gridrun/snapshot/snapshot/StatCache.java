package io.gridrun.snapshot.snapshot;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The hashes of a project's files from its last snapshot, keyed by what {@code stat} says of each
 * file (size, modification time, change time, device and inode), as git's index keeps them: a file
 * whose stat is unchanged is not read again. One cache file per project directory.
 *
 * <p>Racily clean files (git's rule): a file changed within the same time-stamp tick as it was
 * hashed keeps its stat. So an entry is trusted only when its modification time is older than the
 * start of the scan that hashed it, by more than the coarsest time-stamp granularity of common file
 * systems ({@link #RACY_MARGIN}); the start is read from the file system's own clock (the time
 * stamp of a marker file written when the scan starts), not from the JVM's. A file modified after
 * the scan started gets a time stamp at least as new, so it either changed its stat or is rehashed.
 * Files edited in the last seconds before a snapshot are therefore always hashed again.
 *
 * <p>A cache that cannot be read is ignored (every file is hashed); writes are atomic (a temporary
 * file moved into place), so two snapshots of one project at once leave one whole cache.
 */
public final class StatCache {

  /** Entries modified less than this before their scan started are not trusted. */
  static final long RACY_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(2);

  private static final int FORMAT = 1;

  private final Path directory;
  private final boolean enabled;
  private final Duration markInterval;

  /**
   * @param directory where the cache files are kept (created when needed)
   */
  public StatCache(Path directory) {
    this(directory, true);
  }

  /**
   * @param enabled false: nothing is reused or kept, every snapshot reads every file
   */
  public StatCache(Path directory, boolean enabled) {
    this(directory, enabled, Duration.ZERO);
  }

  /**
   * @param markInterval the blob of an unchanged file is marked used (its time stamp set, a write)
   *     only when its last mark is older than this; zero: every time. Half the blob collection's
   *     grace period: a blob marked less than that ago is kept by every collection for at least as
   *     long again, far longer than a snapshot takes to record its manifest.
   */
  public StatCache(Path directory, boolean enabled, Duration markInterval) {
    this.directory = directory;
    this.enabled = enabled;
    this.markInterval = markInterval;
  }

  /** How recent a blob's last mark may be for a reuse not to mark it again. */
  public Duration markInterval() {
    return markInterval;
  }

  /**
   * Starts a scan of {@code root}; {@code rehash} ignores what is cached (every file is read, and
   * the cache is written anew); null when the cache is turned off.
   */
  public Scan open(Path root, boolean rehash) throws IOException {
    if (!enabled) {
      return null;
    }
    Files.createDirectories(directory);
    String key = key(root);
    Path marker = directory.resolve(key + ".start");
    Files.write(marker, new byte[0]);
    long start = nanos(Files.getLastModifiedTime(marker));
    Path file = directory.resolve(key + ".cache");
    Map<String, Entry> previous = rehash ? Map.of() : read(file, root);
    return new Scan(file, root, start, previous);
  }

  /** Forgets the cached hashes of {@code root}: its next snapshot reads every file. */
  public void forget(Path root) throws IOException {
    if (!Files.isDirectory(directory)) {
      return;
    }
    Files.deleteIfExists(directory.resolve(key(root) + ".cache"));
  }

  /** What a file's stat says, plus its hash. */
  record Entry(long size, long mtime, long ctime, String fileKey, String hash) {
    boolean sameStat(Stat stat) {
      return size == stat.size()
          && mtime == stat.mtime()
          && ctime == stat.ctime()
          && fileKey.equals(stat.fileKey());
    }
  }

  /** A file's stat as compared. */
  record Stat(long size, long mtime, long ctime, String fileKey) {
    static Stat of(Path file, BasicFileAttributes attrs) {
      return of(attrs, ctimeOf(file));
    }

    /**
     * @param ctime the change time in nanoseconds, -1 where the system does not tell
     */
    static Stat of(BasicFileAttributes attrs, long ctime) {
      Object key = attrs.fileKey();
      return new Stat(
          attrs.size(), nanos(attrs.lastModifiedTime()), ctime, key == null ? "" : key.toString());
    }
  }

  /** One snapshot's use of the cache: look-ups, then the entries to keep for the next one. */
  public static final class Scan {
    private final Path file;
    private final Path root;
    private final long start;
    private final Map<String, Entry> previous;
    private final Map<String, Entry> next = new ConcurrentHashMap<>();
    private long reused;

    private Scan(Path file, Path root, long start, Map<String, Entry> previous) {
      this.file = file;
      this.root = root;
      this.start = start;
      this.previous = previous;
    }

    /** The cached hash of the file at {@code path} if its stat is unchanged and trusted. */
    public String lookup(String path, Stat stat) {
      Entry entry = previous.get(path);
      if (entry == null || !entry.sameStat(stat)) {
        return null;
      }
      reused++;
      return entry.hash();
    }

    /** Files whose hash came from the cache so far. */
    public long reused() {
      return reused;
    }

    /** Keeps the file's hash for the next scan if it can be trusted then. */
    public void record(String path, Stat stat, String hash) {
      if (stat.mtime() <= start - RACY_MARGIN_NANOS) {
        next.put(path, new Entry(stat.size(), stat.mtime(), stat.ctime(), stat.fileKey(), hash));
      }
    }

    /** Writes the entries recorded by this scan, replacing the cache. */
    public void save() throws IOException {
      Path temp = file.resolveSibling(file.getFileName() + "." + System.nanoTime() + ".tmp");
      try (DataOutputStream out =
          new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16))) {
        out.writeInt(FORMAT);
        out.writeUTF(root.toString());
        out.writeInt(next.size());
        for (Map.Entry<String, Entry> e : next.entrySet()) {
          Entry entry = e.getValue();
          writeString(out, e.getKey());
          out.writeLong(entry.size());
          out.writeLong(entry.mtime());
          out.writeLong(entry.ctime());
          out.writeUTF(entry.fileKey());
          out.writeUTF(entry.hash());
        }
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
    }
  }

  private static Map<String, Entry> read(Path file, Path root) {
    Map<String, Entry> entries = new ConcurrentHashMap<>();
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      if (in.readInt() != FORMAT || !in.readUTF().equals(root.toString())) {
        return Map.of();
      }
      int count = in.readInt();
      for (int i = 0; i < count; i++) {
        String path = readString(in);
        entries.put(
            path,
            new Entry(in.readLong(), in.readLong(), in.readLong(), in.readUTF(), in.readUTF()));
      }
      return entries;
    } catch (NoSuchFileException | EOFException none) {
      return Map.of();
    } catch (IOException | RuntimeException unreadable) {
      // a damaged cache only costs a full rehash
      return Map.of();
    }
  }

  private static void writeString(DataOutputStream out, String value) throws IOException {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > 1 << 20) {
      throw new IOException("damaged stat cache");
    }
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  /** The file's change time in nanoseconds; -1 where the system does not tell. */
  static long ctimeOf(Path file) {
    try {
      return nanos((FileTime) Files.getAttribute(file, "unix:ctime", LinkOption.NOFOLLOW_LINKS));
    } catch (UnsupportedOperationException | IllegalArgumentException | IOException notUnix) {
      return -1;
    }
  }

  static long nanos(FileTime time) {
    return time.to(TimeUnit.NANOSECONDS);
  }

  private static String key(Path root) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] hash = digest.digest(root.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
