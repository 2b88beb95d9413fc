package io.gridrun.gateway.web;

import io.gridrun.gateway.GatewayIntegrationTest;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Query parameter names the security firewall refuses are bad input, not internal errors. */
@GatewayIntegrationTest
class RejectedRequestHttpTest extends GatewayIntegrationTest.WithMongo {

  @LocalServerPort int port;

  @Test
  void aQueryParameterNameTheFirewallRefusesIsABadRequestProblem() {
    WebTestClient api =
        WebTestClient.bindToServer()
            .baseUrl("http://localhost:" + port)
            .defaultHeader("Authorization", GatewayIntegrationTest.ADMIN_BEARER)
            .responseTimeout(Duration.ofSeconds(20))
            .build();
    for (String path : new String[] {"/api/v1/webhooks", "/api/v1/webhooks/wh-x/deliveries"}) {
      api.get()
          .uri(URI.create("http://localhost:" + port + path + "?%CD%B8=1&page=0"))
          .exchange()
          .expectStatus()
          .isBadRequest()
          .expectHeader()
          .contentType("application/problem+json")
          .expectBody()
          .jsonPath("$.detail")
          .value(
              d ->
                  org.assertj.core.api.Assertions.assertThat(d.toString())
                      .doesNotContain("\u0378"));
    }
  }
}
