package io.gridrun.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --bind} moves the gateway only: the internal services stay on loopback. */
class GatewayBindTest {

  @Test
  void bindChangesTheGatewaysAddressOnly(@TempDir Path otherHome) throws Exception {
    assumeTrue(ListeningSockets.available(), "needs Linux /proc to list this JVM's sockets");
    try (LocalStack exposed =
        LocalStack.start(
            new StackSettings(
                    otherHome,
                    otherHome.resolve("projects"),
                    otherHome.resolve("data"),
                    0,
                    0,
                    false,
                    false)
                .withRunners(0)
                .withBind("0.0.0.0"))) {
      int gateway = exposed.ports().get("api-gateway");
      List<InetSocketAddress> listening = ListeningSockets.ofThisProcess();
      assertThat(listening)
          .filteredOn(a -> a.getPort() == gateway)
          .singleElement()
          .satisfies(a -> assertThat(a.getAddress().isAnyLocalAddress()).isTrue());
      for (String service : List.of("job-service", "snapshot-service")) {
        int port = exposed.ports().get(service);
        assertThat(listening)
            .filteredOn(a -> a.getPort() == port)
            .isNotEmpty()
            .allSatisfy(a -> assertThat(a.getAddress().isLoopbackAddress()).isTrue());
      }
      assertThat(exposed.client().get("/api/v1/jobs").status()).isEqualTo(200);
    }
  }
}
