package io.gridrun.runner.config;

import io.gridrun.common.secret.SecretBox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The key that opens secret environment variables, the gateway's (see docs/security.md, "Secrets").
 * Without either, a step given a secret fails with the reason.
 *
 * @param key base64 of 32 random bytes; wins over the file
 * @param keyFile a file whose first line is such a key
 */
@ConfigurationProperties("gridrun.secrets")
public record SecretsProperties(String key, Path keyFile) {

  /** The box under the configured key, or null when none is. */
  public SecretBox box() {
    if (key != null && !key.isBlank()) {
      return SecretBox.ofBase64(key);
    }
    if (keyFile != null) {
      try {
        return SecretBox.ofFile(keyFile);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "gridrun.secrets.key-file " + keyFile + " cannot be read", e);
      }
    }
    return null;
  }
}
