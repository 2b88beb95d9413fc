package io.gridrun.gateway.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressGuardTest {

  /** Resolves every name to the address its first label spells: {@code 10-0-0-1.test}. */
  private static final HostResolver FAKE_DNS =
      host ->
          new InetAddress[] {
            InetAddress.getByName(
                host.endsWith(".test")
                    ? host.substring(0, host.indexOf('.')).replace('-', '.')
                    : host)
          };

  @Test
  void refusesEveryNonPublicAddressAndNamesTheSetting() {
    AddressGuard guard = new AddressGuard(FAKE_DNS, List.of());
    for (String host :
        List.of(
            "127.0.0.1",
            "127.9.9.9",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.0.10",
            "169.254.169.254",
            "0.0.0.0",
            "224.0.0.251",
            "255.255.255.255",
            "100.100.1.1",
            "::1",
            "[::1]",
            "::",
            "fe80::1",
            "fc00::1",
            "fdff::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "169-254-169-254.test")) {
      assertThatThrownBy(() -> guard.check(host))
          .as(host)
          .isInstanceOf(RefusedAddressException.class)
          .hasMessageContaining("gridrun.webhooks.allowed-hosts");
    }
  }

  @Test
  void acceptsPublicAddresses() throws Exception {
    AddressGuard guard = new AddressGuard(FAKE_DNS, List.of());
    for (String host : List.of("93.184.216.34", "8.8.8.8", "2606:4700::1111", "1-1-1-1.test")) {
      assertThat(guard.check(host)).as(host).hasSize(1);
    }
    assertThat(guard.check("172.32.0.1")).hasSize(1);
  }

  @Test
  void theAllowListNamesHostsSuffixesAddressesAndRanges() throws Exception {
    AddressGuard guard =
        new AddressGuard(
            FAKE_DNS,
            List.of(" 127.0.0.1", "10.20.0.0/16", "fd00::/8", "10-9-9-9.test", "*.corp.test"));
    assertThat(guard.check("127.0.0.1")).hasSize(1);
    assertThat(guard.check("10.20.3.4")).hasSize(1);
    assertThat(guard.check("fd12::5")).hasSize(1);
    assertThat(guard.check("10-9-9-9.test")).hasSize(1);
    assertThat(guard.check("192-168-1-1.corp.test")).hasSize(1);
    assertThatThrownBy(() -> guard.check("127.0.0.2")).isInstanceOf(RefusedAddressException.class);
    assertThatThrownBy(() -> guard.check("10.21.0.1")).isInstanceOf(RefusedAddressException.class);
    assertThatThrownBy(() -> guard.check("10-9-9-8.test"))
        .isInstanceOf(RefusedAddressException.class);
    assertThatThrownBy(() -> guard.check("192-168-1-1.corpx.test"))
        .isInstanceOf(RefusedAddressException.class);
  }

  @Test
  void aHostWithOnePrivateAddressAmongPublicOnesIsRefused() {
    AddressGuard guard =
        new AddressGuard(
            host ->
                new InetAddress[] {
                  InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.0.0.1")
                },
            List.of());
    assertThatThrownBy(() -> guard.check("round-robin.test"))
        .isInstanceOf(RefusedAddressException.class)
        .hasMessageContaining("private");
  }

  @Test
  void aMalformedAllowListEntryIsReportedAtStart() {
    assertThatThrownBy(() -> new AddressGuard(FAKE_DNS, List.of("10.0.0.0/40")))
        .hasMessageContaining("10.0.0.0/40");
  }
}
