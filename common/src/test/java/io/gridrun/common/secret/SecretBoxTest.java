package io.gridrun.common.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {

  private final SecretBox box = SecretBox.ofBase64(SecretBox.newKey());

  @Test
  void aSealedValueOpensUnderItsNameAndKeyAndHidesTheValue() {
    String sealed = box.seal("API_KEY", "hunter2-ü");

    assertThat(sealed).startsWith(SecretBox.PREFIX).doesNotContain("hunter2");
    assertThat(SecretBox.isSealed(sealed)).isTrue();
    assertThat(box.open("API_KEY", sealed)).isEqualTo("hunter2-ü");
    assertThat(box.seal("API_KEY", "hunter2-ü")).as("a fresh nonce each time").isNotEqualTo(sealed);
  }

  @Test
  void aTamperedValueFailsAuthenticationWithAClearMessageNamingTheVariableOnly() {
    String sealed = box.seal("API_KEY", "hunter2");
    byte[] bytes = Base64.getUrlDecoder().decode(sealed.substring(SecretBox.PREFIX.length()));
    bytes[bytes.length - 1] ^= 1;
    String tampered =
        SecretBox.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

    assertThatThrownBy(() -> box.open("API_KEY", tampered))
        .isInstanceOf(UnreadableSecretException.class)
        .hasMessage(
            "secret 'API_KEY' could not be decrypted: its authentication failed (altered, or"
                + " sealed under another key)")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void aValueMovedToAnotherNameOrOpenedUnderAnotherKeyDoesNotOpen() {
    String sealed = box.seal("API_KEY", "hunter2");

    assertThatThrownBy(() -> box.open("OTHER", sealed))
        .isInstanceOf(UnreadableSecretException.class);
    assertThatThrownBy(() -> SecretBox.ofBase64(SecretBox.newKey()).open("API_KEY", sealed))
        .isInstanceOf(UnreadableSecretException.class)
        .hasMessageContaining("authentication failed");
    assertThatThrownBy(() -> box.open("API_KEY", SecretBox.PREFIX + "!!"))
        .hasMessageContaining("not valid base64");
    assertThatThrownBy(() -> box.open("API_KEY", SecretBox.PREFIX + "AAAA"))
        .hasMessageContaining("too short");
  }

  @Test
  void aKeyIsBase64Of32BytesReadFromTheFirstLineOfAFile(@TempDir Path dir) throws Exception {
    String key = SecretBox.newKey();
    Path file = Files.writeString(dir.resolve("secret.key"), key + "\n");
    String sealed = SecretBox.ofFile(file).seal("K", "v");

    assertThat(SecretBox.ofBase64(key).open("K", sealed)).isEqualTo("v");
    assertThatThrownBy(() -> SecretBox.ofBase64("c2hvcnQ="))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
  }

  @Test
  void viewsListSecretNamesMaskedAndLogsLoseEveryOccurrenceOfAValue() {
    Map<String, String> env = Map.of("MODE", "full", "API_KEY", box.seal("API_KEY", "s3cr3t"));

    assertThat(SecretMasking.plain(env)).containsExactly(Map.entry("MODE", "full"));
    assertThat(SecretMasking.masked(env)).containsExactly(Map.entry("API_KEY", "••••"));
    assertThat(
            SecretMasking.mask(
                "key=s3cr3t and s3cr3t-long, again s3cr3t", List.of("s3cr3t", "s3cr3t-long", "")))
        .isEqualTo("key=•••• and ••••, again ••••");
  }
}
