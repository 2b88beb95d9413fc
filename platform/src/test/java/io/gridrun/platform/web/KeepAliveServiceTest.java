package io.gridrun.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** A service built on platform keeps answering one keep-alive connection after a quick 400. */
@SpringBootTest(
    classes = KeepAliveServiceTest.Service.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.main.banner-mode=off")
class KeepAliveServiceTest {

  @LocalServerPort int port;

  @Test
  void aPipelinedBadRequestDoesNotStallTheConnection() throws Exception {
    try (KeepAliveProbe probe = new KeepAliveProbe(port)) {
      probe.send("/slow", "/items?page=-1");
      assertThat(probe.responses(2)).isEqualTo(2);
      probe.send("/items?page=-2");
      assertThat(probe.responses(1)).isEqualTo(1);
    }
  }

  @SpringBootApplication(
      exclude = {
        KafkaAutoConfiguration.class,
        io.gridrun.platform.messaging.MessagingAutoConfiguration.class
      })
  @RestController
  static class Service {

    @GetMapping("/slow")
    Mono<String> slow() {
      return Mono.delay(Duration.ofMillis(100)).thenReturn("slow");
    }

    @GetMapping("/items")
    Mono<String> items(@org.springframework.web.bind.annotation.RequestParam int page) {
      Pages.check(page, 10);
      return Mono.just("items");
    }
  }
}
