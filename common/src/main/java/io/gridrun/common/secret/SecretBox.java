package io.gridrun.common.secret;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens secret environment variables with AES-256-GCM (the JDK's {@code javax.crypto}). A
 * sealed value is {@value #PREFIX} followed by base64url of a random 12-byte nonce and the
 * ciphertext with its 16-byte tag; the variable's name is the additional authenticated data, so a
 * sealed value moved to another name does not open. Sealed values travel in the ordinary {@code
 * env} maps (job, environment, snapshot, run request): only the gateway seals, only a runner opens,
 * right before it starts the step.
 */
public final class SecretBox {

  /** Marks a sealed value; the gateway refuses it in what users send. */
  public static final String PREFIX = "gridrun:sealed:v1:";

  /** What every view shows in place of a secret's value. */
  public static final String MASK = "••••";

  private static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKey key;

  private SecretBox(byte[] key) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "a secrets key is " + KEY_BYTES + " bytes (base64), not " + key.length);
    }
    this.key = new SecretKeySpec(key, "AES");
  }

  /** A box under a key written as base64 (standard or url-safe) of 32 bytes. */
  public static SecretBox ofBase64(String key) {
    String text = key.strip();
    try {
      return new SecretBox(
          text.contains("-") || text.contains("_")
              ? Base64.getUrlDecoder().decode(text)
              : Base64.getDecoder().decode(text));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "a secrets key is base64 of " + KEY_BYTES + " random bytes: " + e.getMessage(), e);
    }
  }

  /** A box under the key in this file (its first line, base64). */
  public static SecretBox ofFile(Path file) throws IOException {
    String content = Files.readString(file, StandardCharsets.UTF_8);
    int newline = content.indexOf('\n');
    return ofBase64(newline < 0 ? content : content.substring(0, newline));
  }

  /** A new random key, base64: what a key file holds. */
  public static String newKey() {
    byte[] bytes = new byte[KEY_BYTES];
    RANDOM.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  public static boolean isSealed(String value) {
    return value != null && value.startsWith(PREFIX);
  }

  /** The sealed form of variable {@code name}'s {@code value}. */
  public String seal(String name, String value) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, name);
      byte[] sealed = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
      ByteBuffer out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed);
      return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
    }
  }

  /**
   * The value of variable {@code name} sealed as {@code sealed}.
   *
   * @throws UnreadableSecretException when it was altered, sealed for another name or under another
   *     key, or is not a sealed value at all
   */
  public String open(String name, String sealed) {
    if (!isSealed(sealed)) {
      throw new UnreadableSecretException(name, "it is not a sealed value");
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(sealed.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new UnreadableSecretException(name, "it is not valid base64");
    }
    if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new UnreadableSecretException(name, "it is too short");
    }
    byte[] nonce = java.util.Arrays.copyOf(bytes, NONCE_BYTES);
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, nonce, name);
      byte[] plain = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new UnreadableSecretException(
          name, "its authentication failed (altered, or sealed under another key)");
    } catch (GeneralSecurityException e) {
      throw new UnreadableSecretException(name, "it could not be decrypted");
    }
  }

  private Cipher cipher(int mode, byte[] nonce, String name) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
    return cipher;
  }
}
