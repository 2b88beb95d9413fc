package io.gridrun.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.gridrun.gateway.outbound.AddressGuard;
import io.gridrun.gateway.outbound.HostResolver;
import io.gridrun.gateway.outbound.RefusedAddressException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DNS rebinding: a host that resolves to a public address when checked and to a loopback one a
 * moment later must not lead the gateway to the loopback receiver.
 */
class WebhookClientTest {

  private HttpServer receiver;
  private final AtomicInteger hits = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          hits.incrementAndGet();
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
  }

  private URI url(String host) {
    return URI.create("http://" + host + ":" + receiver.getAddress().getPort() + "/hook");
  }

  @Test
  void aHostThatRebindsToLoopbackAfterTheCheckIsNotConnectedTo() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    HostResolver rebinding =
        host ->
            new InetAddress[] {
              InetAddress.getByName(lookups.incrementAndGet() == 1 ? "93.184.216.34" : "127.0.0.1")
            };
    WebhookClient client = new WebhookClient(new AddressGuard(rebinding, List.of()));

    assertThatThrownBy(
            () ->
                client
                    .post(url("rebind.test"), Map.of(), "{}".getBytes(), Duration.ofSeconds(5))
                    .block(Duration.ofSeconds(10)))
        .hasRootCauseInstanceOf(RefusedAddressException.class);
    assertThat(lookups.get()).as("the connection resolved the host again").isGreaterThan(1);
    assertThat(hits.get()).as("the loopback receiver saw nothing").isZero();
  }

  @Test
  void theConnectionGoesToTheCheckedAddress() throws Exception {
    // rebind.test exists nowhere: reaching the receiver proves the guard's answer was used
    HostResolver fake = host -> new InetAddress[] {InetAddress.getByName("127.0.0.1")};
    WebhookClient client = new WebhookClient(new AddressGuard(fake, List.of("127.0.0.1")));

    Integer status =
        client
            .post(url("rebind.test"), Map.of(), "{}".getBytes(), Duration.ofSeconds(5))
            .block(Duration.ofSeconds(10));

    assertThat(status).isEqualTo(204);
    assertThat(hits.get()).isEqualTo(1);
  }

  @Test
  void anAddressLiteralIsCheckedBeforeAnyConnection() {
    WebhookClient client = new WebhookClient(new AddressGuard(HostResolver.SYSTEM, List.of()));

    assertThatThrownBy(
            () ->
                client
                    .post(url("127.0.0.1"), Map.of(), "{}".getBytes(), Duration.ofSeconds(5))
                    .block(Duration.ofSeconds(10)))
        .hasCauseInstanceOf(RefusedAddressException.class);
    assertThat(hits.get()).isZero();
  }
}
