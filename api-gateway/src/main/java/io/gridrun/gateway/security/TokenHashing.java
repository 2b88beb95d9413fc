package io.gridrun.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Token values and their hashes. A token is 32 random bytes, so a plain SHA-256 (no salt, no key
 * stretching) cannot be reversed by guessing; stored hashes are compared in constant time.
 */
public final class TokenHashing {

  private static final SecureRandom RANDOM = new SecureRandom();

  private TokenHashing() {}

  /** A new token value: {@code grt_} and 32 random bytes, base64url. */
  public static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "grt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /**
   * Whether {@code token} hashes to {@code storedHash}, in time independent of where they differ.
   */
  public static boolean matches(String token, String storedHash) {
    return MessageDigest.isEqual(
        hash(token).getBytes(StandardCharsets.US_ASCII),
        storedHash.getBytes(StandardCharsets.US_ASCII));
  }
}
