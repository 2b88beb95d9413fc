package io.gridrun.local;

import java.util.List;
import java.util.Map;

/**
 * What every internal service of the local stack (job-service, snapshot-service, runners) is given,
 * in this JVM or in one of its own: it listens on 127.0.0.1 only, reachable from the gateway and
 * its peers on this machine, never from elsewhere. They share the local launcher's class path,
 * which holds the gateway's Spring Security; it is the gateway's alone, so it is switched off for
 * them (otherwise Spring Boot would guard them with a generated password).
 */
final class InternalServices {

  static final String LOOPBACK = StackSettings.LOOPBACK;

  private static final List<String> GATEWAY_ONLY_AUTO_CONFIGURATIONS =
      List.of(
          "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
          "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
          "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
          "org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration");

  private InternalServices() {}

  static Map<String, String> properties() {
    return Map.of(
        "server.address",
        LOOPBACK,
        "spring.autoconfigure.exclude",
        String.join(",", GATEWAY_ONLY_AUTO_CONFIGURATIONS));
  }
}
