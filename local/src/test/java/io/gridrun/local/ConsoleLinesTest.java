package io.gridrun.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small pieces of the local stack's console: banner, progress, lock and port check. */
class ConsoleLinesTest {

  @TempDir Path home;

  @Test
  void theBannerIsLabelAndValueInOrderWithMoreLinesUnderTheValue() {
    Banner banner =
        new Banner()
            .line("UI", "http://localhost:8080/")
            .more("http://127.0.0.1:8080/login?token=t")
            .line("API", "http://localhost:8080/api/v1");

    assertThat(banner.lines())
        .containsExactly(
            "UI  http://localhost:8080/",
            "    http://127.0.0.1:8080/login?token=t",
            "API  http://localhost:8080/api/v1");
  }

  @Test
  void progressIsRedrawnInPlaceOnATerminalAndPlainLinesOtherwise() {
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    ProgressLine inPlace = new ProgressLine(new PrintStream(terminal, true), true);
    inPlace.show("starting kafka");
    inPlace.show("starting mongo");
    inPlace.finish("ready");
    inPlace.show("too late");
    assertThat(terminal.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "\rstarting kafka\033[K\rstarting mongo\033[K\rready\033[K" + System.lineSeparator());

    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    ProgressLine lines = new ProgressLine(new PrintStream(plain, true), false);
    lines.show("starting kafka");
    lines.show("starting kafka");
    lines.show("starting mongo");
    lines.finish("ready");
    assertThat(plain.toString(StandardCharsets.UTF_8).lines())
        .containsExactly("starting kafka", "starting mongo", "ready");
  }

  @Test
  void aHomeHasOneHolderAtATime() throws Exception {
    try (InstanceLock first = InstanceLock.tryAcquire(home).orElseThrow()) {
      assertThat(InstanceLock.tryAcquire(home)).isEmpty();
      assertThat(InstanceLock.holder(home)).hasValue(String.valueOf(ProcessHandle.current().pid()));
    }
    try (InstanceLock again = InstanceLock.tryAcquire(home).orElseThrow()) {
      assertThat(again).isNotNull();
    }
  }

  @Test
  void aPortSomethingListensOnIsBusy() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = taken.getLocalPort();
      assertThat(PortCheck.firstBusy(Map.of("api-gateway", port)))
          .hasValue(new PortCheck.Busy("api-gateway", port));
    }
  }

  @Test
  void theDemosTableShowsParametersAndMetricsByTheirDottedNames() {
    assertThat(
            DemoJob.flat(
                Map.of(
                    "pipeline", Map.of("lr", 0.1), "steps", Map.of("train", Map.of("epochs", 1))),
                true))
        .isEqualTo("lr=0.1 train.epochs=1");
    assertThat(DemoJob.flat(Map.of("train", Map.of("loss", 0.5)), false))
        .isEqualTo("train.loss=0.5");
    assertThat(
            DemoJob.progressOf(
                Map.of("status", "STARTED", "runCounts", Map.of("PENDING", 0, "SUCCESS", 2))))
        .isEqualTo("  STARTED   runs: 2 success");
  }
}
