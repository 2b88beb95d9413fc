package io.gridrun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TableTest {

  @Test
  void columnsAreAlignedNumbersRightAndNoLineEndsInSpaces() {
    String text =
        new Table("INDEX", "STATUS", "train.loss", "NOTE")
            .row(0, "SUCCESS", 10.5, "")
            .row(12, "FAILURE", null, "exit code 3")
            .render();

    assertThat(text)
        .isEqualTo(
            """
            INDEX  STATUS   train.loss  NOTE
                0  SUCCESS        10.5
               12  FAILURE              exit code 3
            """);
  }

  @Test
  void cellsStayOnOneLine() {
    assertThat(new Table("A", "B").row("x\ny", "z").render()).isEqualTo("A    B\nx y  z\n");
  }

  @Test
  void anEmptyTableIsItsHeader() {
    assertThat(new Table("ID", "NAME").render()).isEqualTo("ID  NAME\n");
  }

  @Test
  void problemDetailsBecomeOneLineWithTitleAndDetail() {
    CliException notFound =
        Api.failure(
            404, "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"no job j-x\\nat all\"}");
    assertThat(notFound.exitCode()).isEqualTo(Main.CLIENT_ERROR);
    assertThat(notFound.getMessage()).isEqualTo("Not Found: no job j-x at all (HTTP 404)");
    CliException broken = Api.failure(502, "Bad Gateway");
    assertThat(broken.exitCode()).isEqualTo(Main.SERVER_ERROR);
    assertThat(broken.getMessage()).isEqualTo("HTTP 502: Bad Gateway");
    CliException unauthorized = Api.failure(401, "");
    assertThat(unauthorized.exitCode()).isEqualTo(Main.CLIENT_ERROR);
    assertThat(unauthorized.getMessage())
        .isEqualTo("HTTP 401 - give a token: --token, $GRIDRUN_TOKEN or $GRIDRUN_HOME/token");
  }

  @Test
  void sizesAndDurationsReadWell() {
    assertThat(Units.bytes(512)).isEqualTo("512 B");
    assertThat(Units.bytes(1536)).isEqualTo("1.5 KiB");
    assertThat(Units.duration(java.time.Duration.ofSeconds(3725))).isEqualTo("1h02m");
    assertThat(Units.duration(java.time.Duration.ofSeconds(185))).isEqualTo("3m05s");
    assertThat(Units.duration(java.time.Duration.ofSeconds(9))).isEqualTo("9s");
  }
}
