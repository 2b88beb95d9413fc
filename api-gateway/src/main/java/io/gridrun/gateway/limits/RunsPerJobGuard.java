package io.gridrun.gateway.limits;

import io.gridrun.common.event.EventCodec;
import io.gridrun.gateway.config.LimitsProperties;
import io.gridrun.gateway.config.RunLimit;
import io.gridrun.gateway.job.JobServiceClient;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Refuses a new batch that would take a job past {@code gridrun.gateway.limits.max-runs-per-job}
 * runs in all: {@code trigger} (a whole grid more) and {@code rerun-failed} (at most the failed and
 * aborted runs, counted over the job, capped at one grid). Runs after security (it is an ordinary
 * filter), so only an authorised caller learns a job's size; an unknown job passes on to the
 * owner's {@code 404}.
 */
@Component
public class RunsPerJobGuard implements WebFilter {

  private static final Pattern BATCH =
      Pattern.compile("/api/v1/jobs/([^/]+)/(trigger|rerun-failed)");

  private final JobServiceClient jobs;
  private final long max;

  public RunsPerJobGuard(JobServiceClient jobs, LimitsProperties limits) {
    this.jobs = jobs;
    this.max = limits.maxRunsPerJob();
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    Matcher m = BATCH.matcher(exchange.getRequest().getPath().pathWithinApplication().value());
    if (exchange.getRequest().getMethod() != HttpMethod.POST || !m.matches()) {
      return chain.filter(exchange);
    }
    boolean rerun = m.group(2).equals("rerun-failed");
    return jobs.job(m.group(1))
        .map(json -> refusal(EventCodec.mapper().readTree(json), rerun))
        .onErrorResume(e -> Mono.just(""))
        .defaultIfEmpty("")
        .flatMap(detail -> detail.isEmpty() ? chain.filter(exchange) : refuse(exchange, detail));
  }

  /** Why the batch is refused, or an empty string when it fits under the limit. */
  String refusal(JsonNode job, boolean rerun) {
    long runCount = job.path("runCount").asLong(0);
    long gridRuns = job.path("gridRuns").asLong(0);
    long batch =
        rerun
            ? Math.min(
                gridRuns,
                job.path("runCounts").path("FAILURE").asLong(0)
                    + job.path("runCounts").path("ABORTED").asLong(0))
            : gridRuns;
    return runCount + batch > max ? RunLimit.exceeded(runCount, batch, max) : "";
  }

  private static Mono<Void> refuse(ServerWebExchange exchange, String detail) {
    return FilterProblems.write(exchange, HttpStatus.BAD_REQUEST, "Invalid request", detail);
  }
}
