package io.gridrun.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local stack as others on the network see it: nothing. Every listener (gateway, services, the
 * Kafka broker and its controller, database, the Kafka port forwarder) is bound to 127.0.0.1; the
 * API wants the token the stack wrote to {@code $GRIDRUN_HOME/token}, readable by its owner only.
 */
class LocalStackExposureTest {

  @TempDir static Path home;

  private static LocalStack stack;

  @BeforeAll
  static void start() throws Exception {
    stack =
        LocalStack.start(
            new StackSettings(
                    home,
                    home.resolve("projects"),
                    home.resolve("data"),
                    0,
                    freePort(),
                    false,
                    false)
                .withRunners(1));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void theFirstStartWritesAnOwnerOnlyTokenFileThatTheApiWants() throws Exception {
    Path file = home.resolve("token");
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.readAllLines(file)).containsExactly(stack.token());
    assertThat(stack.token()).hasSizeGreaterThanOrEqualTo(40);

    GridrunClient anonymous = new GridrunClient(stack.gatewayUrl());
    assertThat(anonymous.get("/api/v1/jobs").status()).isEqualTo(401);
    assertThat(anonymous.get("/actuator/health").status()).isEqualTo(200);
    assertThat(stack.client().get("/api/v1/jobs").status()).isEqualTo(200);
    assertThat(GridrunClient.forHome(stack.gatewayUrl(), home).get("/api/v1/jobs").status())
        .isEqualTo(200);
    assertThat(new GridrunClient(stack.gatewayUrl(), "grt_guessed").get("/api/v1/jobs").status())
        .isEqualTo(401);
  }

  @Test
  void theBannerLinkSignsABrowserIn() throws Exception {
    URI login = stack.loginUrl();
    assertThat(login.toString())
        .startsWith("http://127.0.0.1:" + stack.gatewayUrl().getPort() + "/login?token=")
        .endsWith(stack.token());
    var response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(login).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
    assertThat(response.statusCode()).isEqualTo(303);
    assertThat(response.headers().firstValue("Location")).contains("/jobs");
    assertThat(response.headers().firstValue("Set-Cookie").orElseThrow())
        .containsIgnoringCase("HttpOnly")
        .contains("SameSite=Strict");
  }

  @Test
  void everyListenerOfTheStackIsBoundToLoopbackOnly() throws Exception {
    assumeTrue(ListeningSockets.available(), "needs Linux /proc to list this JVM's sockets");
    List<InetSocketAddress> listening = ListeningSockets.ofThisProcess();
    Set<Integer> ports = new TreeSet<>();
    listening.forEach(a -> ports.add(a.getPort()));
    // gateway, job-service, snapshot-service, runner, MongoDB, the Kafka port forwarder and broker
    assertThat(ports).containsAll(stackPorts());
    assertThat(listening)
        .filteredOn(a -> stackPorts().contains(a.getPort()))
        .as("every socket of the stack")
        .allSatisfy(a -> assertThat(a.getAddress().isLoopbackAddress()).as(a.toString()).isTrue());
  }

  @Test
  void noServicePortIsOpenOnAnyOtherAddressOfThisMachine() throws Exception {
    List<InetAddress> others = otherAddresses();
    assumeTrue(
        !others.isEmpty(),
        "this machine has no non-loopback address to check the stack's ports against");
    // Taking the port on that address succeeds only when nothing listens there (nor on the
    // wildcard address that covers it): the check needs no packet to leave this machine.
    for (InetAddress address : others) {
      for (int port : stackPorts()) {
        try (ServerSocket probe = new ServerSocket()) {
          probe.setReuseAddress(true);
          probe.bind(new InetSocketAddress(address, port));
        } catch (java.net.BindException listening) {
          throw new AssertionError(
              "port " + port + " is open on " + address.getHostAddress() + ": " + listening);
        }
      }
    }
  }

  @Test
  void theKafkaBrokerIsNotReachableOnAnyOtherAddressOfThisMachine() throws Exception {
    List<InetAddress> others = otherAddresses();
    assumeTrue(
        !others.isEmpty(),
        "this machine has no non-loopback address to check the broker's ports against");
    assertThat(stack.kafkaListenerPorts()).hasSize(2);
    for (int port : stack.kafkaListenerPorts()) {
      try (Socket loopback = new Socket()) {
        loopback.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
      }
      for (InetAddress address : others) {
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress(address, port), 2000);
          throw new AssertionError(
              "the broker's port " + port + " answers on " + address.getHostAddress());
        } catch (ConnectException | SocketTimeoutException refused) {
          // nothing listens there: as it should be
        }
      }
    }
  }

  private static List<InetAddress> otherAddresses() throws IOException {
    List<InetAddress> others = new ArrayList<>();
    for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
      if (nic.isUp()) {
        nic.inetAddresses()
            .filter(
                a ->
                    !a.isLoopbackAddress()
                        && !(a instanceof Inet6Address i && i.isLinkLocalAddress()))
            .forEach(others::add);
      }
    }
    return others;
  }

  /**
   * Every listener of the stack: the services, MongoDB, the Kafka port forwarder and the in-process
   * Kafka broker's own two (its listener and its controller's).
   */
  private static Set<Integer> stackPorts() {
    Set<Integer> ports = new TreeSet<>(stack.ports().values());
    ports.add(URI.create(stack.mongoUri("x")).getPort());
    ports.add(stack.settings().kafkaPort());
    ports.addAll(stack.kafkaListenerPorts());
    return ports;
  }
}
