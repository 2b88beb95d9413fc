package io.gridrun.gateway.secrets;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The key that seals secret environment variables (see docs/security.md, "Secrets"). Without
 * either, a request with {@code secrets} is refused.
 *
 * @param key base64 of 32 random bytes ({@code GRIDRUN_SECRETS_KEY}); wins over the file
 * @param keyFile a file whose first line is such a key (the local stack's {@code
 *     $GRIDRUN_HOME/secret.key})
 */
@ConfigurationProperties("gridrun.secrets")
public record SecretsProperties(String key, Path keyFile) {}
