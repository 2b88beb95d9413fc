package io.gridrun.gateway.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether the gateway may connect to a host a user chose: every address the host resolves
 * to must be public (not loopback, link-local such as cloud metadata at 169.254.169.254, private,
 * unique-local, shared, unspecified, broadcast or multicast), unless the operator's allow-list
 * names the host or a range holding the address. The answer is the checked addresses, so that a
 * caller connects to exactly those (a host that resolves differently a moment later changes
 * nothing).
 */
public class AddressGuard {

  private final HostResolver resolver;
  private final List<String> hostNames = new ArrayList<>();
  private final List<Cidr> ranges = new ArrayList<>();

  public AddressGuard(HostResolver resolver, List<String> allowedHosts) {
    this.resolver = resolver;
    for (String entry : allowedHosts) {
      String e = entry.strip().toLowerCase(Locale.ROOT);
      if (e.isEmpty()) {
        continue;
      }
      if (e.contains("/") || Cidr.isLiteral(e)) {
        ranges.add(Cidr.parse(e));
      } else {
        hostNames.add(e);
      }
    }
  }

  /** The host's addresses, all allowed; else a {@link RefusedAddressException} saying why. */
  public List<InetAddress> check(String host) throws UnknownHostException {
    String name = unbracket(host).toLowerCase(Locale.ROOT);
    boolean named = hostNames.stream().anyMatch(a -> matches(name, a));
    InetAddress[] addresses = resolver.resolve(name);
    if (addresses == null || addresses.length == 0) {
      throw new UnknownHostException(name);
    }
    List<InetAddress> allowed = new ArrayList<>();
    for (InetAddress address : addresses) {
      String kind = restrictedKind(address);
      if (kind != null && !named && ranges.stream().noneMatch(r -> r.contains(address))) {
        throw new RefusedAddressException(
            "host '"
                + name
                + "' resolves to a "
                + kind
                + " address, which webhooks may not reach unless gridrun.webhooks.allowed-hosts"
                + " names it");
      }
      allowed.add(address);
    }
    return allowed;
  }

  private static boolean matches(String host, String allowed) {
    return allowed.startsWith("*.") ? host.endsWith(allowed.substring(1)) : host.equals(allowed);
  }

  private static String unbracket(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** What kind of non-public address this is, or null for a public one. */
  static String restrictedKind(InetAddress address) {
    if (address.isAnyLocalAddress()) {
      return "unspecified";
    }
    if (address.isLoopbackAddress()) {
      return "loopback";
    }
    if (address.isLinkLocalAddress()) {
      return "link-local";
    }
    if (address.isSiteLocalAddress()) {
      return "private";
    }
    if (address.isMulticastAddress()) {
      return "multicast";
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      if (first == 0) {
        return "unspecified";
      }
      if (first == 100 && (second & 0xc0) == 64) {
        return "shared (carrier-grade NAT)";
      }
      if (first == 169 && second == 254) {
        return "link-local";
      }
      if (first >= 240) {
        return "reserved";
      }
    }
    if (address instanceof Inet6Address) {
      if ((b[0] & 0xfe) == 0xfc) {
        return "unique-local";
      }
      if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) {
        return "site-local";
      }
      if (isEmbeddedIpv4(b)) {
        try {
          byte[] v4 = {b[12], b[13], b[14], b[15]};
          return restrictedKind(InetAddress.getByAddress(v4));
        } catch (UnknownHostException impossible) {
          return "reserved";
        }
      }
    }
    return null;
  }

  /** {@code ::a.b.c.d} (IPv4-compatible) and {@code 64:ff9b::a.b.c.d} (NAT64). */
  private static boolean isEmbeddedIpv4(byte[] b) {
    boolean compatible = true;
    for (int i = 0; i < 12; i++) {
      compatible &= b[i] == 0;
    }
    boolean nat64 =
        (b[0] & 0xff) == 0x00
            && (b[1] & 0xff) == 0x64
            && (b[2] & 0xff) == 0xff
            && (b[3] & 0xff) == 0x9b;
    for (int i = 4; i < 12 && nat64; i++) {
      nat64 = b[i] == 0;
    }
    return compatible || nat64;
  }

  /** An address range; a single address is a range of one. */
  record Cidr(byte[] network, int bits) {

    static boolean isLiteral(String text) {
      return text.matches("[0-9.]+") || text.contains(":");
    }

    static Cidr parse(String text) {
      int slash = text.indexOf('/');
      String address = slash < 0 ? text : text.substring(0, slash);
      if (!isLiteral(address)) {
        throw new IllegalArgumentException(
            "gridrun.webhooks.allowed-hosts: '" + text + "' is not an address or CIDR range");
      }
      try {
        byte[] bytes = InetAddress.getByName(address).getAddress();
        int bits = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
        if (bits < 0 || bits > bytes.length * 8) {
          throw new IllegalArgumentException(
              "gridrun.webhooks.allowed-hosts: '" + text + "' has an impossible prefix length");
        }
        return new Cidr(bytes, bits);
      } catch (UnknownHostException | NumberFormatException e) {
        throw new IllegalArgumentException(
            "gridrun.webhooks.allowed-hosts: '" + text + "' is not an address or CIDR range", e);
      }
    }

    boolean contains(InetAddress address) {
      byte[] a = address.getAddress();
      if (a.length != network.length) {
        return false;
      }
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >> (i % 8);
        if ((a[i / 8] & mask) != (network[i / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }
}
