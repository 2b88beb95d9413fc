package io.gridrun.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Forwards a fixed local port to the in-process Kafka broker, whose own port is chosen at start.
 * Kafka clients only bootstrap through it: the broker then tells them its real address on this
 * machine, so a stock tool such as kcat reaches the local stack at {@code localhost:9092}.
 */
final class PortForwarder implements AutoCloseable {

  private final ServerSocket server;
  private final InetSocketAddress target;

  PortForwarder(int port, InetSocketAddress target) throws IOException {
    this.server = new ServerSocket();
    this.server.setReuseAddress(true);
    this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    this.target = target;
    Thread acceptor = new Thread(this::accept, "kafka-port-forwarder");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket broker = new Socket(target.getAddress(), target.getPort());
        pump(client, broker);
        pump(broker, client);
      } catch (IOException e) {
        // closed, or the broker is gone: the client sees its connection end
      }
    }
  }

  private static void pump(Socket from, Socket to) {
    Thread thread =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException ended) {
                // one side closed
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "kafka-port-forwarder-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
