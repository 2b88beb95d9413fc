package io.gridrun.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code X-Gridrun-Signature: sha256=<hex of HMAC-SHA256("<timestamp>.<body>", secret)>}, with the
 * timestamp (epoch seconds) in {@code X-Gridrun-Timestamp}: a receiver that refuses old timestamps
 * cannot be fed a recorded delivery again.
 */
public final class WebhookSigner {

  public static final String HEADER = "X-Gridrun-Signature";
  public static final String TIMESTAMP_HEADER = "X-Gridrun-Timestamp";

  private WebhookSigner() {}

  public static String signature(String secret, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by every JVM", e);
    }
  }
}
