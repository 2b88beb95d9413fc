package io.gridrun.platform.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Speaks HTTP/1.1 over one raw socket, so that a test controls when each request is sent. */
final class KeepAliveProbe implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  KeepAliveProbe(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(3_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** Sends the GET requests in one write: the second and later ones arrive pipelined. */
  void send(String... paths) throws IOException {
    StringBuilder requests = new StringBuilder();
    for (String path : paths) {
      requests.append("GET ").append(path).append(" HTTP/1.1\r\nHost: localhost\r\n\r\n");
    }
    out.write(requests.toString().getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Reads responses with a Content-Length until {@code count} came, or gives up at the timeout. */
  int responses(int count) throws IOException {
    int seen = 0;
    StringBuilder head = new StringBuilder();
    try {
      while (seen < count) {
        int c = in.read();
        if (c < 0) {
          return seen;
        }
        head.append((char) c);
        if (head.toString().endsWith("\r\n\r\n")) {
          skip(contentLength(head.toString()));
          head.setLength(0);
          seen++;
        }
      }
    } catch (SocketTimeoutException timedOut) {
      return seen;
    }
    return seen;
  }

  private void skip(int length) throws IOException {
    for (int i = 0; i < length; i++) {
      if (in.read() < 0) {
        return;
      }
    }
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        return Integer.parseInt(line.substring("content-length:".length()).trim());
      }
    }
    return 0;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
