package io.gridrun.local;

import java.util.List;
import java.util.Map;

/**
 * What every internal service of the local stack (job-service, snapshot-service, runners) is given,
 * in this JVM or in one of its own: it listens on 127.0.0.1 only, reachable from the gateway and
 * its peers on this machine, never from elsewhere. They share the local launcher's class path,
 * which holds the gateway's Spring Security; it is the gateway's alone, so it is switched off for
 * them (otherwise Spring Boot would guard them with a generated password). So is the gateway's
 * springdoc: the OpenAPI document and Swagger UI describe the public API, served by the gateway.
 */
final class InternalServices {

  static final String LOOPBACK = StackSettings.LOOPBACK;

  private static final List<String> GATEWAY_ONLY_AUTO_CONFIGURATIONS =
      List.of(
          "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
          "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
          "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
          "org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration");

  /**
   * What runner-service.yml excludes (a runner owns no database). A command-line {@code
   * spring.autoconfigure.exclude} replaces the service's own list, so runners are given it again.
   */
  private static final List<String> NO_DATABASE_AUTO_CONFIGURATIONS =
      List.of(
          "org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration",
          "org.springframework.boot.mongodb.autoconfigure.MongoReactiveAutoConfiguration",
          "org.springframework.boot.mongodb.autoconfigure.health.MongoHealthContributorAutoConfiguration",
          "org.springframework.boot.mongodb.autoconfigure.health.MongoReactiveHealthContributorAutoConfiguration",
          "org.springframework.boot.mongodb.autoconfigure.metrics.MongoMetricsAutoConfiguration",
          "org.springframework.boot.data.mongodb.autoconfigure.DataMongoAutoConfiguration",
          "org.springframework.boot.data.mongodb.autoconfigure.DataMongoReactiveAutoConfiguration");

  private static final String RUNNER_MAIN_CLASS = "io.gridrun.runner.RunnerServiceApplication";

  private InternalServices() {}

  /** For job-service and snapshot-service. */
  static Map<String, String> properties() {
    return properties(GATEWAY_ONLY_AUTO_CONFIGURATIONS);
  }

  /** For a runner, which also owns no database. */
  static Map<String, String> runnerProperties() {
    List<String> excluded = new java.util.ArrayList<>(GATEWAY_ONLY_AUTO_CONFIGURATIONS);
    excluded.addAll(NO_DATABASE_AUTO_CONFIGURATIONS);
    return properties(excluded);
  }

  /** The properties of the service whose Spring Boot main class is {@code mainClass}. */
  static Map<String, String> propertiesOf(String mainClass) {
    return RUNNER_MAIN_CLASS.equals(mainClass) ? runnerProperties() : properties();
  }

  private static Map<String, String> properties(List<String> excluded) {
    return Map.of(
        "server.address",
        LOOPBACK,
        "spring.autoconfigure.exclude",
        String.join(",", excluded),
        "springdoc.api-docs.enabled",
        "false",
        "springdoc.swagger-ui.enabled",
        "false");
  }
}
