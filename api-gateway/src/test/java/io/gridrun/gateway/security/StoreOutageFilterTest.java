package io.gridrun.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoTimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

class StoreOutageFilterTest {

  private final StoreOutageFilter filter = new StoreOutageFilter();

  private static MockServerWebExchange exchange() {
    return MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/jobs").build());
  }

  @Test
  void anUnreachableDatabaseIsA503ProblemWithRetryAfter() {
    MockServerWebExchange exchange = exchange();

    filter
        .filter(
            exchange,
            e ->
                Mono.error(
                    new DataAccessResourceFailureException(
                        "Timed out", new MongoTimeoutException("no server"))))
        .block();

    assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(exchange.getResponse().getHeaders().getFirst("Retry-After")).isEqualTo("5");
    assertThat(exchange.getResponse().getHeaders().getContentType())
        .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(exchange.getResponse().getBodyAsString().block())
        .contains("\"status\":503")
        .contains("database cannot be reached")
        .doesNotContain("no server");
  }

  @Test
  void aDriverTimeoutWrappedInAnotherErrorIsRecognised() {
    assertThat(
            StoreOutageFilter.storeUnreachable(
                new IllegalStateException("lookup", new MongoTimeoutException("no server"))))
        .isTrue();
  }

  @Test
  void otherErrorsPassThroughUnchanged() {
    MockServerWebExchange exchange = exchange();
    IllegalArgumentException bug = new IllegalArgumentException("a bug");

    assertThatThrownBy(() -> filter.filter(exchange, e -> Mono.error(bug)).block()).isSameAs(bug);
    assertThat(exchange.getResponse().getStatusCode()).isNull();
  }
}
