package io.gridrun.local;

import java.io.IOException;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Copies of the example projects into a stack's projects. */
final class ExampleFiles {

  private ExampleFiles() {}

  /** Copies the tree {@code source} to {@code target}, directories made, files with {@code how}. */
  static void copyTree(Path source, Path target, CopyOption... how) throws IOException {
    try (Stream<Path> paths = Files.walk(source)) {
      for (Path path : paths.toList()) {
        Path copy = target.resolve(source.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(path, copy, how);
        }
      }
    }
  }
}
