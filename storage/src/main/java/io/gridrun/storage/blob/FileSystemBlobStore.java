package io.gridrun.storage.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Blobs as files {@code <root>/sha256/<first two hex digits>/<hash>}. A put streams into a
 * temporary file while hashing, forces it to disk, then moves it into place atomically (and syncs
 * the directory), so readers never see a partial blob and concurrent puts of the same content are
 * harmless. Reads are verified: a blob whose bytes do not hash to its name (truncated by a crash,
 * damaged) fails with {@link CorruptBlobException} at the end of the stream, never silently used; a
 * later put of the same content replaces it.
 */
public class FileSystemBlobStore implements BlobStore {

  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

  private final Path objects;
  private final Path incoming;

  public FileSystemBlobStore(Path root) {
    this.objects = root.resolve("sha256");
    this.incoming = root.resolve("incoming");
    try {
      Files.createDirectories(objects);
      Files.createDirectories(incoming);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create blob store at " + root, e);
    }
  }

  /**
   * Hashes the file first: a content stored already is only marked used (no temporary copy, no
   * fsync); a new one is written as {@link #put(InputStream)} does, hashed again while written.
   */
  @Override
  public StoredBlob put(Path file) throws IOException {
    return put(file, null);
  }

  /** Puts that leave their forces to one concurrent {@link DeferredForces#force} before publish. */
  @Override
  public Batch batch() {
    DeferredForces deferred = new DeferredForces();
    return new Batch() {
      @Override
      public StoredBlob put(Path file) throws IOException {
        return FileSystemBlobStore.this.put(file, deferred);
      }

      @Override
      public void sync() throws IOException {
        deferred.force();
      }
    };
  }

  private StoredBlob put(Path file, DeferredForces deferred) throws IOException {
    MessageDigest digest = sha256();
    long size = 0;
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
        size += n;
      }
    }
    String hash = HexFormat.of().formatHex(digest.digest());
    if (reuse(hash, size)) {
      // it may be another batch's blob, not yet forced: this batch's sync forces it too
      later(deferred, pathOf(hash));
      return new StoredBlob(hash, size, false);
    }
    try (InputStream in = Files.newInputStream(file)) {
      return put(in, deferred);
    }
  }

  @Override
  public StoredBlob put(InputStream content) throws IOException {
    return put(content, null);
  }

  /** {@code deferred} null: forced now; else its forces are left to the batch's sync. */
  private StoredBlob put(InputStream content, DeferredForces deferred) throws IOException {
    Path temp = incoming.resolve(UUID.randomUUID() + ".part");
    MessageDigest digest = sha256();
    long size;
    try (FileChannel channel =
            FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        OutputStream out = new DigestOutputStream(Channels.newOutputStream(channel), digest)) {
      size = content.transferTo(out);
      out.flush();
      // on disk before it is named: a snapshot published after this put never names lost bytes
      // (a batch forces it, under its name, before its writer publishes anything)
      if (deferred == null) {
        channel.force(true);
      }
    } catch (IOException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    String hash = HexFormat.of().formatHex(digest.digest());
    Path target = pathOf(hash);
    if (Files.exists(target) && sizeOf(target) == size) {
      Files.delete(temp);
      touch(target);
      later(deferred, target);
      return new StoredBlob(hash, size, false);
    }
    // new, or a damaged copy (a blob truncated by a crash) that this put repairs
    Files.createDirectories(target.getParent());
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException raced) {
      Files.deleteIfExists(temp);
      later(deferred, target);
      return new StoredBlob(hash, size, false);
    }
    if (deferred == null) {
      syncDirectory(target.getParent());
    } else {
      deferred.file(target);
      deferred.directory(target.getParent());
    }
    return new StoredBlob(hash, size, true);
  }

  private static void later(DeferredForces deferred, Path target) {
    if (deferred != null) {
      deferred.file(target);
    }
  }

  @Override
  public boolean exists(String hash) {
    return HASH.matcher(hash).matches() && Files.exists(pathOf(hash));
  }

  @Override
  public boolean reuse(String hash, long size) {
    return reuse(hash, size, java.time.Duration.ZERO);
  }

  @Override
  public boolean reuse(String hash, long size, java.time.Duration markedWithin) {
    if (!HASH.matcher(hash).matches()) {
      return false;
    }
    Path target = pathOf(hash);
    java.nio.file.attribute.BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(target, java.nio.file.attribute.BasicFileAttributes.class);
    } catch (IOException missing) {
      return false;
    }
    if (attrs.size() != size) {
      return false; // damaged (truncated by a crash): the next put repairs it
    }
    if (markedWithin.isZero()
        || attrs.lastModifiedTime().toInstant().isBefore(Instant.now().minus(markedWithin))) {
      touch(target);
    }
    return true;
  }

  @Override
  public InputStream open(String hash) throws IOException {
    try {
      return new VerifyingInputStream(Files.newInputStream(existing(hash)), hash, sha256());
    } catch (NoSuchFileException e) {
      throw new NoSuchBlobException(hash);
    }
  }

  @Override
  public void copyTo(String hash, Path target) throws IOException {
    try {
      try (InputStream in =
          new VerifyingInputStream(Files.newInputStream(existing(hash)), hash, sha256())) {
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      } catch (CorruptBlobException e) {
        Files.deleteIfExists(target);
        throw e;
      }
    } catch (NoSuchFileException e) {
      if (!Files.exists(pathOf(hash))) {
        throw new NoSuchBlobException(hash);
      }
      throw e;
    }
  }

  @Override
  public Instant lastUsed(String hash) throws IOException {
    try {
      return Files.getLastModifiedTime(existing(hash)).toInstant();
    } catch (NoSuchFileException e) {
      throw new NoSuchBlobException(hash);
    }
  }

  @Override
  public boolean delete(String hash) throws IOException {
    return Files.deleteIfExists(existing(hash));
  }

  @Override
  public Stream<String> hashes() throws IOException {
    return Files.walk(objects, 2)
        .filter(Files::isRegularFile)
        .map(p -> p.getFileName().toString())
        .filter(name -> HASH.matcher(name).matches());
  }

  private Path existing(String hash) throws NoSuchBlobException {
    if (!HASH.matcher(hash).matches()) {
      throw new NoSuchBlobException(hash);
    }
    return pathOf(hash);
  }

  private Path pathOf(String hash) {
    return objects.resolve(hash.substring(0, 2)).resolve(hash);
  }

  private static long sizeOf(Path target) {
    try {
      return Files.size(target);
    } catch (IOException gone) {
      return -1;
    }
  }

  /** Makes the blob's name durable (the rename into place), as its bytes already are. */
  static void syncDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException notSupported) {
      // some platforms cannot open a directory; the bytes were forced, the name follows
    }
  }

  private static void touch(Path target) {
    try {
      Files.setLastModifiedTime(target, FileTime.from(Instant.now()));
    } catch (IOException ignored) {
      // a blob being garbage collected right now is simply written again by the next put
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }
}
