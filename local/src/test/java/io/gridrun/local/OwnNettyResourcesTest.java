package io.gridrun.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Two services of one JVM, as in {@code ./gridrun local}: the one that stops first must leave the
 * other's event loops alone, so that the other still answers and stops in an orderly way.
 */
class OwnNettyResourcesTest {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void aServiceThatStopsLeavesTheOtherServicesEventLoopsAlone() throws Exception {
    try (ConfigurableApplicationContext first = start();
        ConfigurableApplicationContext second = start()) {
      ReactorResourceFactory firstResources = first.getBean(ReactorResourceFactory.class);
      ReactorResourceFactory secondResources = second.getBean(ReactorResourceFactory.class);
      assertThat(secondResources.isUseGlobalResources()).isFalse();
      assertThat(secondResources.getLoopResources()).isNotSameAs(firstResources.getLoopResources());
      assertThat(get(first)).isEqualTo("pong");

      first.close();

      assertThat(firstResources.isRunning()).isFalse();
      assertThat(secondResources.isRunning()).isTrue();
      // a new connection, served by the second service's own loops
      assertThat(get(second)).isEqualTo("pong");
    }
  }

  private ConfigurableApplicationContext start() {
    SpringApplication application = new SpringApplication(Service.class);
    application.addInitializers(new OwnNettyResources());
    return application.run(
        "--server.port=0",
        "--spring.main.banner-mode=off",
        "--spring.main.register-shutdown-hook=false");
  }

  private String get(ConfigurableApplicationContext service) throws Exception {
    String port = service.getEnvironment().getProperty("local.server.port");
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ping"))
            .timeout(Duration.ofSeconds(5))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  @SpringBootConfiguration
  @ImportAutoConfiguration({
    NettyReactiveWebServerAutoConfiguration.class,
    HttpHandlerAutoConfiguration.class,
    WebFluxAutoConfiguration.class
  })
  static class Service {

    @Bean
    RouterFunction<ServerResponse> ping() {
      return RouterFunctions.route()
          .GET("/ping", request -> ServerResponse.ok().bodyValue("pong"))
          .build();
    }
  }
}
