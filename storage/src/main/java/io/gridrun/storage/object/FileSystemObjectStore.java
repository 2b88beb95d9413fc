package io.gridrun.storage.object;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/** Objects as files under a root directory; a key's slashes are directories. */
public class FileSystemObjectStore implements ObjectStore {

  private final Path root;

  public FileSystemObjectStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
    try {
      Files.createDirectories(this.root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the object store at " + root, e);
    }
  }

  @Override
  public void put(String key, Path file) throws IOException {
    Path target = pathOf(key);
    Files.createDirectories(target.getParent());
    Path temp = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + ".part");
    Files.copy(file, temp, StandardCopyOption.REPLACE_EXISTING);
    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public void put(String key, byte[] bytes) throws IOException {
    Path target = pathOf(key);
    Files.createDirectories(target.getParent());
    Path temp = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + ".part");
    Files.write(temp, bytes);
    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public Optional<InputStream> open(String key) throws IOException {
    try {
      return Optional.of(Files.newInputStream(pathOf(key)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public boolean exists(String key) {
    return Files.isRegularFile(pathOf(key));
  }

  @Override
  public void delete(String key) throws IOException {
    Path file = pathOf(key);
    Files.deleteIfExists(file);
    // empty directories go with their last object
    for (Path dir = file.getParent(); !dir.equals(root); dir = dir.getParent()) {
      try {
        Files.deleteIfExists(dir);
      } catch (java.nio.file.DirectoryNotEmptyException stillUsed) {
        return;
      }
    }
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    int slash = prefix.lastIndexOf('/');
    Path dir = slash < 0 ? root : pathOf(prefix.substring(0, slash));
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString().replace(java.io.File.separatorChar, '/'))
          .filter(key -> key.startsWith(prefix) && !key.endsWith(".part"))
          .toList();
    } catch (NoSuchFileException | UncheckedIOException goneMeanwhile) {
      return List.of();
    }
  }

  private Path pathOf(String key) {
    Path path = root.resolve(ObjectStore.checked(key)).normalize();
    if (!path.startsWith(root) || path.equals(root)) {
      throw new IllegalArgumentException("not a valid object key: '" + key + "'");
    }
    return path;
  }
}
