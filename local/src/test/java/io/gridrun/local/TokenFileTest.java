package io.gridrun.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {

  @Test
  void theTokenIsMadeOnceOwnerOnlyAndKept(@TempDir Path home) throws Exception {
    String token = TokenFile.ensure(home);

    Path file = home.resolve("token");
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.readString(file)).isEqualTo(token + "\n");
    assertThat(token).startsWith("grt_").hasSize(47);
    assertThat(TokenFile.ensure(home)).isEqualTo(token);
    assertThat(TokenFile.read(home)).isEqualTo(token);
    assertThat(TokenFile.ensure(Files.createDirectories(home.resolve("other"))))
        .isNotEqualTo(token);
  }

  @Test
  void aTokenFileOthersCouldReadIsTightened(@TempDir Path home) throws Exception {
    Path file = Files.writeString(home.resolve("token"), "grt_mine\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertThat(TokenFile.ensure(home)).isEqualTo("grt_mine");
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }
}
