package io.gridrun.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The local stack's admin token, {@code $GRIDRUN_HOME/token}: made at the first start (32 random
 * bytes), readable by its owner only (mode 0600), one line. The stack gives it to the gateway as
 * {@code gridrun.security.admin-token}; the CLI, the demo and the tests send it as {@code Bearer}.
 */
public final class TokenFile {

  public static final String NAME = "token";

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final SecureRandom RANDOM = new SecureRandom();

  private TokenFile() {}

  /** The token of {@code home}, made (and written) if there is none yet. */
  public static String ensure(Path home) throws IOException {
    Path file = home.resolve(NAME);
    if (Files.exists(file)) {
      String token = read(file);
      if (!token.isEmpty()) {
        ownerOnly(file);
        return token;
      }
      Files.delete(file);
    }
    String token = newToken();
    try {
      Files.write(
          create(file), (token + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.WRITE);
    } catch (FileAlreadyExistsException raced) {
      return read(file);
    }
    return token;
  }

  /** The token of {@code home}; fails when the stack never started there. */
  public static String read(Path fileOrHome) throws IOException {
    Path file = Files.isDirectory(fileOrHome) ? fileOrHome.resolve(NAME) : fileOrHome;
    String content = Files.readString(file, StandardCharsets.UTF_8);
    int newline = content.indexOf('\n');
    return (newline < 0 ? content : content.substring(0, newline)).strip();
  }

  /** Creates the empty file, with mode 0600 from the first moment where the system has modes. */
  static Path create(Path file) throws IOException {
    try {
      return Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } catch (UnsupportedOperationException notPosix) {
      return Files.createFile(file);
    }
  }

  static void ownerOnly(Path file) throws IOException {
    try {
      if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
        Files.setPosixFilePermissions(file, OWNER_ONLY);
      }
    } catch (UnsupportedOperationException notPosix) {
      // the file system has no modes to tighten
    }
  }

  private static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "grt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
