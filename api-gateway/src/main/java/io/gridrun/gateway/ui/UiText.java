package io.gridrun.gateway.ui;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Text the API answered (a log, a snapshot file), at most a limit of it.
 *
 * @param text the text, empty for a binary body
 * @param truncated whether the body was longer than the limit (only its start is here)
 * @param binary whether the body is not UTF-8 text (it has a NUL byte or invalid UTF-8)
 */
public record UiText(String text, boolean truncated, boolean binary) {

  /** Reads at most {@code maxBytes} of {@code body} and cancels the rest. */
  static Mono<UiText> read(Flux<DataBuffer> body, int maxBytes) {
    return Mono.defer(
        () -> {
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          boolean[] more = {false};
          return body.takeUntil(
                  buffer -> {
                    int room = maxBytes - bytes.size();
                    int n = Math.min(room, buffer.readableByteCount());
                    byte[] chunk = new byte[n];
                    buffer.read(chunk);
                    bytes.write(chunk, 0, n);
                    if (buffer.readableByteCount() > 0) {
                      more[0] = true;
                    }
                    DataBufferUtils.release(buffer);
                    return bytes.size() >= maxBytes;
                  })
              .then(
                  Mono.fromSupplier(
                      () -> of(bytes.toByteArray(), more[0] || bytes.size() >= maxBytes)));
        });
  }

  static UiText of(byte[] bytes, boolean truncated) {
    for (byte b : bytes) {
      if (b == 0) {
        return new UiText("", truncated, true);
      }
    }
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      return new UiText(text, truncated, false);
    } catch (CharacterCodingException e) {
      if (truncated) {
        // the limit may have cut a character in two
        String text = new String(bytes, StandardCharsets.UTF_8);
        return new UiText(text, true, text.chars().filter(c -> c == 0xFFFD).count() > 3);
      }
      return new UiText("", false, true);
    }
  }
}
