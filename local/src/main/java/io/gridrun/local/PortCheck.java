package io.gridrun.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Optional;

/** Whether the ports a stack is to listen on are free, asked before anything starts. */
final class PortCheck {

  private PortCheck() {}

  /** A port something already listens on, with the part of the stack that wants it. */
  record Busy(String part, int port) {}

  /** The first of {@code ports} (part → port) that cannot be listened on; empty if all can. */
  static Optional<Busy> firstBusy(Map<String, Integer> ports) {
    return ports.entrySet().stream()
        .filter(e -> !free(e.getValue()))
        .findFirst()
        .map(e -> new Busy(e.getKey(), e.getValue()));
  }

  /**
   * True when nothing listens on {@code port}, on any address: binding the wildcard address fails
   * when something listens on it or on one address of this machine.
   */
  static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException inUse) {
      return false;
    }
  }
}
