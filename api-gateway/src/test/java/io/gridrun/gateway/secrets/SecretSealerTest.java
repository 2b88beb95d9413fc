package io.gridrun.gateway.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.secret.SecretBox;
import io.gridrun.platform.web.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretSealerTest {

  private final SecretBox box = SecretBox.ofBase64(SecretBox.newKey());
  private final SecretSealer sealer = new SecretSealer(box, 4096);

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static Map<?, ?> json(byte[] body) {
    return EventCodec.mapper().readValue(body, Map.class);
  }

  @Test
  void secretsAreSealedIntoEnvAndTheSecretsFieldGoes() {
    byte[] sealed =
        sealer.seal(
            utf8("{\"name\": \"n\", \"env\": {\"A\": \"1\"}, \"secrets\": {\"K\": \"v\"}}"));

    Map<?, ?> body = json(sealed);
    assertThat(body.containsKey("secrets")).isFalse();
    Map<?, ?> env = (Map<?, ?>) body.get("env");
    assertThat(env.get("A")).isEqualTo("1");
    assertThat(box.open("K", (String) env.get("K"))).isEqualTo("v");
    assertThat(new String(sealed, StandardCharsets.UTF_8)).doesNotContain("\"v\"");
  }

  @Test
  void bodiesWithoutSecretsAndNonObjectsPassUnchanged() {
    byte[] plain = utf8("{\"env\": {\"A\": \"1\"}}");
    assertThat(sealer.seal(plain)).isSameAs(plain);
    byte[] broken = utf8("{\"secrets\": ");
    assertThat(sealer.seal(broken)).isSameAs(broken);
    byte[] list = utf8("[1]");
    assertThat(sealer.seal(list)).isSameAs(list);
  }

  @Test
  void forgedSealedValuesBadNamesDuplicatesAndOversizedValuesAreRefusedNamingTheProblem() {
    assertThatThrownBy(() -> sealer.seal(utf8("{\"env\": {\"A\": \"gridrun:sealed:v1:x\"}}")))
        .isInstanceOf(ApiProblem.class)
        .hasMessageContaining("must not start with 'gridrun:sealed:v1:'");
    assertThatThrownBy(() -> sealer.seal(utf8("{\"secrets\": [1]}")))
        .hasMessageContaining("secrets must be an object");
    assertThatThrownBy(() -> sealer.seal(utf8("{\"secrets\": {\"1X\": \"v\", \"N\": null}}")))
        .hasMessageContaining("'1X' is not a valid variable name")
        .hasMessageContaining("secrets.N must be a string");
    assertThatThrownBy(
            () -> sealer.seal(utf8("{\"env\": {\"K\": 1}, \"secrets\": {\"K\": \"v\"}}")))
        .hasMessageContaining("'K' is in both env and secrets");
    String big = "x".repeat(3031);
    assertThatThrownBy(() -> sealer.seal(utf8("{\"secrets\": {\"K\": \"" + big + "\"}}")))
        .hasMessageContaining("3031 bytes, more than the limit of 3030")
        .hasMessageContaining("gridrun.gateway.limits.max-parameter-bytes");
    String sealedMax =
        (String)
            ((Map<?, ?>)
                    json(sealer.seal(utf8("{\"secrets\": {\"K\": \"" + "x".repeat(3030) + "\"}}")))
                        .get("env"))
                .get("K");
    assertThat(sealedMax.length()).isLessThanOrEqualTo(4096);
  }

  @Test
  void withoutAKeySecretsAreRefusedSayingWhatToSet() {
    SecretSealer keyless = new SecretSealer(null, 4096);
    assertThatThrownBy(() -> keyless.seal(utf8("{\"secrets\": {\"K\": \"v\"}}")))
        .hasMessageContaining("set gridrun.secrets.key or gridrun.secrets.key-file");
  }

  @Test
  void viewsListSecretsByNameOnlyBesideEnv() {
    String sealed = box.seal("K", "v");
    byte[] view =
        utf8(
            "{\"items\": [{\"id\": \"j\", \"env\": {\"A\": \"1\", \"K\": \""
                + sealed
                + "\"}}], \"other\": \""
                + sealed
                + "\"}");

    Map<?, ?> masked = json(SecretViews.mask(view));
    Map<?, ?> item = (Map<?, ?>) ((java.util.List<?>) masked.get("items")).get(0);
    assertThat(item.get("env")).isEqualTo(Map.of("A", "1"));
    assertThat(item.get("secrets")).isEqualTo(Map.of("K", "••••"));
    assertThat(masked.get("other")).isEqualTo("••••");
    byte[] plain = utf8("{\"env\": {\"A\": \"1\"}}");
    assertThat(SecretViews.mask(plain)).isSameAs(plain);
  }
}
