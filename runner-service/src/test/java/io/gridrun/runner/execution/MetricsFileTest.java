package io.gridrun.runner.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsFileTest {

  @TempDir Path temp;

  private MetricsFile.Reading read(String content, int maxBytes) throws Exception {
    Path file = temp.resolve("metrics.json");
    Files.writeString(file, content);
    return MetricsFile.read(file, maxBytes);
  }

  @Test
  void readsAFlatObjectOfNumbersStringsAndBooleans() throws Exception {
    MetricsFile.Reading reading =
        read("{\"loss\": 0.231, \"epochs\": 3, \"model\": \"b\", \"converged\": true}", 1024);

    assertThat(reading.metrics())
        .isEqualTo(Map.of("loss", 0.231, "epochs", 3, "model", "b", "converged", true));
    assertThat(reading.note()).isNull();
  }

  @Test
  void noFileMeansNoMetricsAndNoNote() {
    MetricsFile.Reading reading = MetricsFile.read(temp.resolve("absent.json"), 1024);

    assertThat(reading.metrics()).isEmpty();
    assertThat(reading.note()).isNull();
  }

  @Test
  void ignoresInvalidJsonWithANote() throws Exception {
    MetricsFile.Reading reading = read("{\"loss\": ", 1024);

    assertThat(reading.metrics()).isEmpty();
    assertThat(reading.note()).startsWith("metrics file ignored: it is not valid JSON");
  }

  @Test
  void ignoresNestedValuesNullsAndNonObjects() throws Exception {
    assertThat(read("{\"a\": 1, \"b\": {\"c\": 2}}", 1024).note())
        .isEqualTo(
            "metrics file ignored: 'b' is not a number, string or boolean (the object must be flat)");
    assertThat(read("{\"a\": [1, 2]}", 1024).metrics()).isEmpty();
    assertThat(read("{\"a\": null}", 1024).metrics()).isEmpty();
    assertThat(read("[1, 2]", 1024).note())
        .isEqualTo("metrics file ignored: it is not a JSON object");
    assertThat(read("42", 1024).metrics()).isEmpty();
  }

  @Test
  void acceptsAFileOfExactlyTheLimitAndIgnoresALargerOne() throws Exception {
    String json = "{\"v\": \"" + "x".repeat(100) + "\"}";
    int size = json.length();

    assertThat(read(json, size).metrics()).containsKey("v");
    MetricsFile.Reading tooBig = read(json, size - 1);
    assertThat(tooBig.metrics()).isEmpty();
    assertThat(tooBig.note())
        .isEqualTo(
            "metrics file ignored: it has "
                + size
                + " bytes, more than the limit of "
                + (size - 1));
  }

  @Test
  void aMetricsFileLinkedToAHostFileGivesNoMetricsAndANote() throws Exception {
    Path host = temp.resolve("host-secret.json");
    Files.writeString(host, "{\"secret\": \"from the host\"}");
    Path file = temp.resolve("metrics.json");
    Files.createSymbolicLink(file, host);

    MetricsFile.Reading reading = MetricsFile.read(file, 1024);

    assertThat(reading.metrics()).isEmpty();
    assertThat(reading.note())
        .isEqualTo(
            "metrics file ignored: it is a symbolic link; metrics are read from a regular file"
                + " only");
  }

  @Test
  void aMetricsDirectoryOrFifoGivesNoMetricsAndANote() throws Exception {
    Files.createDirectory(temp.resolve("metrics.json"));

    MetricsFile.Reading reading = MetricsFile.read(temp.resolve("metrics.json"), 1024);

    assertThat(reading.metrics()).isEmpty();
    assertThat(reading.note()).isEqualTo("metrics file ignored: it is not a regular file");
  }
}
