package io.gridrun.local;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP sockets this JVM listens on, with the address each is bound to, read from Linux's {@code
 * /proc}: the sockets among this process's file descriptors whose state in {@code /proc/net/tcp}
 * (and {@code tcp6}) is LISTEN.
 */
final class ListeningSockets {

  private static final String LISTEN = "0A";

  private ListeningSockets() {}

  static boolean available() {
    return Files.isReadable(Path.of("/proc/net/tcp"))
        && Files.isDirectory(Path.of("/proc/self/fd"));
  }

  static List<InetSocketAddress> ofThisProcess() throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException gone) {
          // closed meanwhile
        }
      }
    }
    List<InetSocketAddress> listening = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path file = Path.of(table);
      if (!Files.isReadable(file)) {
        continue;
      }
      for (String line : Files.readAllLines(file).subList(1, Files.readAllLines(file).size())) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length > 9 && fields[3].equals(LISTEN) && inodes.contains(fields[9])) {
          listening.add(address(fields[1]));
        }
      }
    }
    return listening;
  }

  /** {@code 0100007F:1F90} (IPv4) or 32 hex digits and a port (IPv6), as the kernel writes them. */
  private static InetSocketAddress address(String hex) throws IOException {
    String[] parts = hex.split(":");
    byte[] kernel = new BigInteger("1" + parts[0], 16).toByteArray();
    byte[] raw = new byte[parts[0].length() / 2];
    System.arraycopy(kernel, kernel.length - raw.length, raw, 0, raw.length);
    // the kernel prints each 32-bit word in host (little-endian) order
    byte[] bytes = new byte[raw.length];
    for (int word = 0; word < raw.length; word += 4) {
      for (int i = 0; i < 4; i++) {
        bytes[word + i] = raw[word + 3 - i];
      }
    }
    return new InetSocketAddress(InetAddress.getByAddress(bytes), Integer.parseInt(parts[1], 16));
  }
}
