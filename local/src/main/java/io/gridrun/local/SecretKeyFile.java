package io.gridrun.local;

import io.gridrun.common.secret.SecretBox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The local stack's key for secrets, {@code $GRIDRUN_HOME/secret.key}: made at the first start (32
 * random bytes, base64, one line), readable by its owner only (mode 0600), like the token file. The
 * stack gives its path to the gateway, which seals secrets with it, and to the runners, which open
 * them. Removing it makes the secrets of existing jobs and environments unreadable.
 */
public final class SecretKeyFile {

  public static final String NAME = "secret.key";

  private SecretKeyFile() {}

  /** The key file of {@code home}, made if there is none yet (or it is empty). */
  public static Path ensure(Path home) throws IOException {
    Path file = home.resolve(NAME);
    if (Files.exists(file) && !TokenFile.read(file).isEmpty()) {
      TokenFile.ownerOnly(file);
      return file;
    }
    Files.deleteIfExists(file);
    try {
      Files.write(
          TokenFile.create(file),
          (SecretBox.newKey() + "\n").getBytes(StandardCharsets.UTF_8),
          StandardOpenOption.WRITE);
    } catch (FileAlreadyExistsException raced) {
      // another start made it first: use that one
    }
    return file;
  }
}
