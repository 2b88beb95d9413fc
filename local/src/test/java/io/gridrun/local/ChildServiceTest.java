package io.gridrun.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ChildService} and {@link ChildMain} with a tiny service in place of a gridrun one. */
class ChildServiceTest {

  @TempDir Path dir;

  /**
   * A stand-in service: answers {@code /actuator/health} on {@code --server.port}, and on a
   * graceful stop writes {@code stopped} into {@code --stopped-file}; prints {@code started} when
   * it is up.
   */
  public static final class TinyService {
    public static void main(String[] args) throws IOException {
      Map<String, String> options = new java.util.HashMap<>();
      for (String arg : args) {
        String[] pair = arg.substring(2).split("=", 2);
        options.put(pair[0], pair[1]);
      }
      if (options.containsKey("fail")) {
        System.exit(3);
      }
      HttpServer server =
          HttpServer.create(
              new InetSocketAddress("127.0.0.1", Integer.parseInt(options.get("server.port"))), 0);
      server.createContext(
          "/actuator/health",
          exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
          });
      server.start();
      Path stopped = Path.of(options.get("stopped-file"));
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      Files.writeString(stopped, "stopped");
                    } catch (IOException ignored) {
                      // the test then fails
                    }
                  }));
      System.out.println("started");
    }
  }

  private ChildService.Spec tiny(Map<String, String> properties) {
    Map<String, String> all = new java.util.HashMap<>(properties);
    all.put("stopped-file", dir.resolve("stopped").toString());
    return new ChildService.Spec(
        "tiny", TinyService.class.getName(), List.of("-Xmx32m"), all, dir.resolve("tiny.log"));
  }

  @Test
  void killIsKillNineAndRunsNoShutdownHook() throws Exception {
    ChildService child = ChildService.start(tiny(Map.of()), Duration.ofSeconds(30));

    assertThat(child.kill()).isEqualTo(ChildService.KILLED);
    assertThat(child.isAlive()).isFalse();
    assertThat(dir.resolve("stopped")).doesNotExist();
  }

  @Test
  void closeStopsTheChildGracefully() throws Exception {
    ChildService child = ChildService.start(tiny(Map.of()), Duration.ofSeconds(30));
    assertThat(child.isAlive()).isTrue();

    child.close();

    assertThat(child.isAlive()).isFalse();
    assertThat(dir.resolve("stopped")).hasContent("stopped");
  }

  @Test
  void aChildThatExitsWhileStartingIsReported() throws Exception {
    ChildService child = ChildService.launch(tiny(Map.of("fail", "true")));

    assertThatThrownBy(() -> child.awaitHealthy(Duration.ofSeconds(30)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("tiny exited with 3");
  }

  /** What a child sees when its parent dies, even by kill -9: its standard input ends. */
  @Test
  void aChildWhoseParentIsGoneStopsGracefully() throws Exception {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                ChildService.classPath(),
                ChildMain.class.getName(),
                TinyService.class.getName(),
                "--server.port=0",
                "--stopped-file=" + dir.resolve("stopped"))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("orphan.log").toFile())
            .start();
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Files.readString(dir.resolve("orphan.log")).contains("started"));

      child.getOutputStream().close();

      assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("stopped").isTrue();
      assertThat(dir.resolve("stopped")).hasContent("stopped");
    } finally {
      child.destroyForcibly();
    }
  }
}
