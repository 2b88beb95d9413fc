package io.gridrun.gateway.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gridrun.gateway.GatewayIntegrationTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * The UI's pages over HTTP, rendered from the gateway's own API, with job-service and
 * snapshot-service replaced by a stub that records what the API asked it.
 */
@GatewayIntegrationTest
class UiPagesHttpTest extends GatewayIntegrationTest.WithMongo {

  static final String JOB =
      """
      {"id": "j-1", "name": "<script>alert(1)</script>", "project": "demo",
       "pipeline": "train.pipeline.json", "status": "STARTED", "runCount": 6,
       "runCounts": {"PENDING": 2, "STARTED": 1, "SUCCESS": 2, "FAILURE": 1, "ABORTED": 0},
       "createdAt": "2026-11-30T09:00:00Z", "snapshotId": "s-j-1", "gridRuns": 6, "batches": 1}
      """;

  static final String PIPELINE =
      """
      { "name": "grid", "parameters": { "alpha": 1 },
        "steps": [ { "id": "prep", "file": "prep.sh", "environment": "busybox" },
                   { "id": "fit", "file": "fit.sh", "environment": "busybox", "dependsOn": ["prep"],
                     "parameters": { "depth": 1 } } ] }
      """;

  static final List<String> REQUESTS = new CopyOnWriteArrayList<>();
  private static final HttpServer SERVICES = startServices();

  @LocalServerPort int port;
  private WebTestClient web;

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) {
    String url = "http://127.0.0.1:" + SERVICES.getAddress().getPort();
    registry.add("gridrun.gateway.snapshot-service-url", () -> url);
    registry.add("gridrun.gateway.job-service-url", () -> url);
  }

  private static HttpServer startServices() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setExecutor(Executors.newCachedThreadPool());
      server.createContext(
          "/api/v1/jobs",
          exchange -> {
            REQUESTS.add(exchange.getRequestURI().toString());
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/api/v1/jobs")) {
              answer(
                  exchange,
                  200,
                  "{\"items\": [" + JOB + "], \"page\": 0, \"size\": 50, \"total\": 1}");
            } else if (path.equals("/api/v1/jobs/j-1")) {
              answer(exchange, 200, JOB);
            } else if (path.equals("/api/v1/jobs/j-done")) {
              answer(
                  exchange,
                  200,
                  JOB.replace("j-1", "j-done")
                      .replace("\"STARTED\", \"runCount", "\"SUCCESS\", \"runCount"));
            } else if (path.matches("/api/v1/jobs/j-(1|done)/results")) {
              // every page full, as for a job with 2 500 results
              int size = Integer.parseInt(query(exchange, "size"));
              String item =
                  "{\"index\": %d, \"runId\": \"r-%d\", \"status\": \"SUCCESS\","
                      + " \"parameters\": {\"alpha\": %d}, \"metrics\": {\"fit.loss\": 0.5}}";
              String items =
                  java.util.stream.IntStream.range(0, size)
                      .mapToObj(i -> item.formatted(i, i, i))
                      .collect(java.util.stream.Collectors.joining(","));
              answer(
                  exchange,
                  200,
                  "{\"items\": ["
                      + items
                      + "], \"page\": 0, \"size\": "
                      + size
                      + ", \"total\": 2500}");
            } else if (path.equals("/api/v1/jobs/j-broken")) {
              // an answer the page cannot use (counts that are not numbers): the page fails
              answer(exchange, 200, "{\"id\": \"j-broken\", \"runCounts\": \"many\"}");
            } else {
              answer(
                  exchange,
                  404,
                  "{\"title\": \"Not Found\", \"status\": 404, \"detail\": \"no job j-2\"}");
            }
          });
      server.createContext(
          "/internal/projects/",
          exchange -> {
            if (exchange.getRequestURI().getPath().equals("/internal/projects/grid/pipeline")) {
              answer(exchange, 200, PIPELINE);
            } else {
              answer(exchange, 404, "{\"status\": 404, \"detail\": \"unknown project\"}");
            }
          });
      server.createContext(
          "/api/v1/projects",
          exchange ->
              answer(
                  exchange,
                  200,
                  exchange.getRequestURI().getPath().endsWith("/pipelines")
                      ? "{\"items\": [{\"path\": \"grid.pipeline.json\"}], \"page\": 0, \"size\": 500, \"total\": 1}"
                      : "{\"items\": [{\"name\": \"grid\"}], \"page\": 0, \"size\": 500, \"total\": 1}"));
      server.createContext("/api/v1/environments/", exchange -> answer(exchange, 200, "{}"));
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String query(HttpExchange exchange, String name) {
    for (String pair : exchange.getRequestURI().getQuery().split("&")) {
      if (pair.startsWith(name + "=")) {
        return pair.substring(name.length() + 1);
      }
    }
    return "";
  }

  static void answer(HttpExchange exchange, int status, String json) throws IOException {
    exchange.getRequestBody().readAllBytes();
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  @BeforeEach
  void client() {
    web =
        WebTestClient.bindToServer()
            .baseUrl("http://localhost:" + port)
            .defaultHeader("Authorization", GatewayIntegrationTest.ADMIN_BEARER)
            .responseTimeout(Duration.ofSeconds(20))
            .build();
  }

  private String page(String path, int status) {
    return web.get()
        .uri(path)
        .exchange()
        .expectStatus()
        .isEqualTo(status)
        .expectBody(String.class)
        .returnResult()
        .getResponseBody();
  }

  @Test
  void theJobsPageListsTheApisJobsWithTheirNameEscaped() {
    String html = page("/jobs?q=alert&status=STARTED", 200);

    assertThat(html)
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .doesNotContain("<script>alert(1)</script>")
        .contains("status-STARTED")
        .contains("2 SUCCESS, 1 FAILURE, 1 STARTED, 2 PENDING")
        .contains("Search jobs")
        .contains("+ New job");
    assertThat(REQUESTS).anyMatch(r -> r.contains("q=alert") && r.contains("status=STARTED"));
  }

  @Test
  void aPageThatFailsOnThisSideIsAnHtmlErrorPageWithoutTheExceptionText() {
    web.get()
        .uri("/jobs/j-broken")
        .accept(org.springframework.http.MediaType.TEXT_HTML)
        .exchange()
        .expectStatus()
        .isEqualTo(500)
        .expectHeader()
        .contentTypeCompatibleWith(org.springframework.http.MediaType.TEXT_HTML)
        .expectBody(String.class)
        .value(
            html ->
                assertThat(html)
                    .contains("Something went wrong")
                    .contains("Back to the jobs")
                    .doesNotContain("Exception")
                    .doesNotContain("many"));
  }

  @Test
  void theResultsTabChartsTheFirst2000RunsInFourRequestsAndSaysSo() {
    REQUESTS.clear();
    String html = page("/jobs/j-1?tab=results&sort=fit.loss", 200);

    assertThat(html)
        .contains("Download CSV")
        .contains("The charts show the first 2000 of 2500 runs in the table")
        .contains("id=\"chart-data\"");
    assertThat(REQUESTS.stream().filter(r -> r.contains("/results") && r.contains("size=500")))
        .hasSize(4)
        .allMatch(r -> r.contains("sort=fit.loss"));
  }

  @Test
  void anUnfinishedJobsPageCatchesUpAtItsStreamsFirstOpenAndAnEndedJobsOnlyAfterAFailure() {
    // an ended job's page refreshed at once would replace its results under the reader's click
    assertThat(refreshTrigger(page("/jobs/j-1?tab=results", 200)))
        .startsWith("htmx:sseOpen from:#content");
    assertThat(refreshTrigger(page("/jobs/j-done?tab=results", 200)))
        .startsWith("gridrun:sse-reopened from:#content")
        .doesNotContain("htmx:sseOpen");
  }

  private static String refreshTrigger(String html) {
    var matcher =
        java.util.regex.Pattern.compile("id=\"job-refresh\"[^>]*hx-trigger=\"([^\"]*)\"")
            .matcher(html);
    assertThat(matcher.find()).as("the job page's refresh element").isTrue();
    return matcher.group(1);
  }

  @Test
  void theRootIsTheJobsPage() {
    assertThat(page("/", 200)).contains("<h1>Jobs</h1>");
  }

  @Test
  void theLayoutsAssetsAreServed() {
    for (String asset :
        List.of(
            "/css/gridrun.css",
            "/js/gridrun.js",
            "/webjars/htmx.org/dist/htmx.min.js",
            "/webjars/htmx-ext-sse/sse.js",
            "/webjars/echarts/dist/echarts.min.js")) {
      web.get().uri(asset).exchange().expectStatus().isOk();
    }
  }

  private String post(String path, MultiValueMap<String, String> form, int status) {
    return web.post()
        .uri(path)
        .body(BodyInserters.fromFormData(form))
        .exchange()
        .expectStatus()
        .isEqualTo(status)
        .expectBody(String.class)
        .returnResult()
        .getResponseBody();
  }

  private static MultiValueMap<String, String> form(String alpha, String depth) {
    MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
    form.add("name", "ui-job");
    form.add("project", "grid");
    form.add("pipeline", "grid.pipeline.json");
    form.add("loadedFor", "grid/grid.pipeline.json");
    form.add("paramStep", "");
    form.add("paramName", "alpha");
    form.add("paramValue", alpha);
    form.add("paramStep", "fit");
    form.add("paramName", "depth");
    form.add("paramValue", depth);
    return form;
  }

  @Test
  void theNewJobFormPreloadsThePipelinesParametersGroupedWithTheirDefaults() {
    String html = page("/jobs/new?project=grid&pipeline=grid.pipeline.json", 200);

    assertThat(html)
        .contains("<legend>Pipeline parameters</legend>")
        .contains("<legend>Step fit</legend>")
        .contains("<label for=\"value-0\">alpha</label>")
        .contains("<label for=\"value-1\">fit.depth</label>")
        .contains("1 of 1 runs selected")
        .contains("<option value=\"grid.pipeline.json\" selected=\"selected\">");
  }

  @Test
  void theRunsTableListsTheGridAndCountsTheTickedRows() {
    String html = post("/jobs/new/runs", form("[1, 2]", "[1, 2, 3]"), 200);
    assertThat(html).contains("6 of 6 runs selected").contains("<th scope=\"col\">fit.depth</th>");
    Matcher signature = Pattern.compile("name=\"signature\" value=\"(\\w+)\"").matcher(html);
    assertThat(signature.find()).isTrue();

    MultiValueMap<String, String> ticked = form("[1, 2]", "[1, 2, 3]");
    ticked.add("signature", signature.group(1));
    ticked.add("selection", "all");
    for (int i = 0; i < 6; i++) {
      ticked.add("shown", String.valueOf(i));
      if (i != 4) {
        ticked.add("tick", String.valueOf(i));
      }
    }
    String after = post("/jobs/new/runs", ticked, 200);

    assertThat(after).contains("5 of 6 runs selected").contains("name=\"toggled\" value=\"4\"");
  }

  @Test
  void aValueThatIsNotJsonIsMarkedWithTheParsersMessageAndNothingIsSent() {
    String html = post("/jobs/new/runs", form("[1, 2", "3"), 200);
    assertThat(html).containsPattern("id=\"value-error-0\"[^>]*>not valid JSON at column \\d+: ");

    String page = post("/jobs/new", form("[1, 2", "3"), 400);
    assertThat(page)
        .contains("nothing was sent")
        .contains("value=\"[1, 2\"")
        .contains("value=\"ui-job\"");
  }
}
