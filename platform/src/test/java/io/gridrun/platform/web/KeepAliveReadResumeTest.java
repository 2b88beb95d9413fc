package io.gridrun.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

class KeepAliveReadResumeTest {

  /** One slow answer, then one answered at once, both pipelined; then a third request alone. */
  private static int answeredOnOneConnection(HttpServer server) throws Exception {
    DisposableServer running =
        server
            .host("127.0.0.1")
            .port(0)
            .handle(
                (request, response) ->
                    response.sendString(
                        request.uri().equals("/slow")
                            ? Mono.delay(Duration.ofMillis(100)).thenReturn("slow")
                            : Mono.just("now")))
            .bindNow();
    try (KeepAliveProbe probe = new KeepAliveProbe(running.port())) {
      probe.send("/slow", "/now");
      int first = probe.responses(2);
      probe.send("/after");
      return first + probe.responses(1);
    } finally {
      running.disposeNow();
    }
  }

  @Test
  void plainReactorNettyStopsReadingAfterAPipelinedRequestAnsweredAtOnce() throws Exception {
    assertThat(answeredOnOneConnection(HttpServer.create())).isEqualTo(2);
  }

  @Test
  void withTheResumeEveryRequestOnTheConnectionIsAnswered() throws Exception {
    HttpServer server = new KeepAliveReadResume().apply(HttpServer.create());
    for (int round = 0; round < 20; round++) {
      assertThat(answeredOnOneConnection(server)).isEqualTo(3);
    }
  }
}
