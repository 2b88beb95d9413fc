package io.gridrun.cli;

import io.gridrun.common.ignore.GitIgnore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * A project directory packed as a {@code .tar.gz} (POSIX ustar, PAX headers for long names),
 * leaving out what a snapshot would leave out: {@code .git/}, {@code data/} at the root and what
 * the project's {@code .gitignore} files ignore. Symbolic links are kept as links; other special
 * files are skipped.
 */
final class ProjectArchive {

  /** What was packed: files (regular files and links), their bytes, the archive's size. */
  record Packed(int files, long bytes, long archiveBytes) {}

  private static final int BLOCK = 512;

  private ProjectArchive() {}

  static Packed pack(Path root, Path archive) throws IOException {
    Path base = root.toAbsolutePath().normalize();
    GitIgnore ignore = new GitIgnore();
    long[] totals = new long[2];
    try (OutputStream file = Files.newOutputStream(archive);
        GZIPOutputStream gzip = new GZIPOutputStream(file, 64 * 1024)) {
      Files.walkFileTree(
          base,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes)
                throws IOException {
              String path = relative(base, dir);
              if (!path.isEmpty()) {
                if (path.equals("data")
                    || dir.getFileName().toString().equals(".git")
                    || ignore.isIgnored(path, true)) {
                  return FileVisitResult.SKIP_SUBTREE;
                }
                header(gzip, path + "/", '5', 0, mode(dir, 0755), "", attributes);
              }
              Path gitignore = dir.resolve(".gitignore");
              if (Files.isRegularFile(gitignore, LinkOption.NOFOLLOW_LINKS)) {
                ignore.add(path, Files.readString(gitignore));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                throws IOException {
              String path = relative(base, file);
              if (ignore.isIgnored(path, false)) {
                return FileVisitResult.CONTINUE;
              }
              if (attributes.isSymbolicLink()) {
                String target = Files.readSymbolicLink(file).toString();
                header(gzip, path, '2', 0, 0777, target, attributes);
                totals[0]++;
              } else if (attributes.isRegularFile()) {
                long size = attributes.size();
                header(gzip, path, '0', size, mode(file, 0644), "", attributes);
                long copied;
                try (InputStream in = Files.newInputStream(file)) {
                  copied = in.transferTo(gzip);
                }
                if (copied != size) {
                  throw new IOException(path + " changed while it was packed");
                }
                pad(gzip, size);
                totals[0]++;
                totals[1] += size;
              }
              return FileVisitResult.CONTINUE;
            }
          });
      gzip.write(new byte[BLOCK * 2]);
    }
    return new Packed((int) totals[0], totals[1], Files.size(archive));
  }

  private static String relative(Path base, Path path) {
    return base.relativize(path).toString().replace('\\', '/');
  }

  private static int mode(Path path, int fallback) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
      int mode = 0;
      for (PosixFilePermission permission : permissions) {
        mode |= 1 << (8 - permission.ordinal());
      }
      return mode;
    } catch (UnsupportedOperationException | IOException e) {
      return fallback;
    }
  }

  private static void header(
      OutputStream out,
      String path,
      char type,
      long size,
      int mode,
      String link,
      BasicFileAttributes attributes)
      throws IOException {
    byte[] name = path.getBytes(StandardCharsets.UTF_8);
    byte[] linkName = link.getBytes(StandardCharsets.UTF_8);
    if (name.length > 100 || linkName.length > 100) {
      StringBuilder pax = new StringBuilder();
      if (name.length > 100) {
        pax.append(paxRecord("path", path));
      }
      if (linkName.length > 100) {
        pax.append(paxRecord("linkpath", link));
      }
      byte[] records = pax.toString().getBytes(StandardCharsets.UTF_8);
      writeHeader(out, "././@PaxHeader", 'x', records.length, 0644, "", 0);
      out.write(records);
      pad(out, records.length);
    }
    long mtime = attributes.lastModifiedTime().toMillis() / 1000;
    writeHeader(out, truncate(path), type, size, mode, truncate(link), mtime);
  }

  private static String truncate(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return bytes.length <= 100 ? text : new String(bytes, 0, 100, StandardCharsets.UTF_8);
  }

  /** A PAX record: {@code "<length> <key>=<value>\n"}, the length counting itself. */
  static String paxRecord(String key, String value) {
    String body = " " + key + "=" + value + "\n";
    int length = body.getBytes(StandardCharsets.UTF_8).length;
    int total = length + String.valueOf(length).length();
    if (String.valueOf(total).length() != String.valueOf(length).length()) {
      total++;
    }
    return total + body;
  }

  private static void writeHeader(
      OutputStream out, String name, char type, long size, int mode, String link, long mtime)
      throws IOException {
    byte[] header = new byte[BLOCK];
    put(header, 0, 100, name.getBytes(StandardCharsets.UTF_8));
    octal(header, 100, 8, mode);
    octal(header, 108, 8, 0);
    octal(header, 116, 8, 0);
    octal(header, 124, 12, size);
    octal(header, 136, 12, Math.max(0, mtime));
    for (int i = 148; i < 156; i++) {
      header[i] = ' ';
    }
    header[156] = (byte) type;
    put(header, 157, 100, link.getBytes(StandardCharsets.UTF_8));
    put(header, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
    put(header, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
    long checksum = 0;
    for (byte b : header) {
      checksum += b & 0xff;
    }
    byte[] sum = String.format("%06o\0 ", checksum).getBytes(StandardCharsets.US_ASCII);
    put(header, 148, 8, sum);
    out.write(header);
  }

  private static void put(byte[] header, int offset, int length, byte[] value) {
    System.arraycopy(value, 0, header, offset, Math.min(length, value.length));
  }

  private static void octal(byte[] header, int offset, int length, long value) {
    String digits = Long.toOctalString(value);
    String padded = "0".repeat(Math.max(0, length - 1 - digits.length())) + digits;
    put(header, offset, length - 1, padded.getBytes(StandardCharsets.US_ASCII));
  }

  private static void pad(OutputStream out, long size) throws IOException {
    int rest = (int) (size % BLOCK);
    if (rest != 0) {
      out.write(new byte[BLOCK - rest]);
    }
  }
}
