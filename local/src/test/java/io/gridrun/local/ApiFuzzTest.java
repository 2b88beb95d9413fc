package io.gridrun.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gridrun.common.event.EventCodec;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzing the whole HTTP API: {@value #TRIES} generated malformed, oversized, deeply nested,
 * wrongly typed and unicode requests to every route of docs/api.md (and a few other methods), with
 * random ids and queries and a valid admin token, against the real gateway with job-service and
 * snapshot-service behind it (the local stack in this JVM, no runner). Not one answer may be a 5xx,
 * every 4xx must be a problem detail, and the stored jobs, runs, environments and webhooks must be
 * exactly what they were. Every route is tried with its own method at least {@value #PER_ROUTE}
 * times (checked at the end), so fewer tries keep the coverage of every endpoint.
 */
class ApiFuzzTest {

  static final int TRIES = 2_500;

  /**
   * Tries each route of {@link #ROUTES} gets at least, with its own method: about 55 are expected
   * (2 500 tries over 36 routes, four in five with the route's method), 20 is 5 standard deviations
   * below.
   */
  static final int PER_ROUTE = 20;

  private static final String TOKEN = "fuzz-admin-token";
  private static String token = TOKEN;

  private static Path home;
  private static LocalStack stack;
  private static URI base;

  /**
   * How long a first attempt may take before it is tried again on a new connection: a request the
   * gateway refuses (405, 415) before reading its body can leave that pooled connection stalled.
   */
  private static final Duration STALL = Duration.ofSeconds(5);

  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final HttpClient HTTP = freshClient();

  private static HttpClient freshClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  private static Map<String, Long> before;

  /** Tries that ran, checked at the end: proof that the engine ran every one. */
  private static final AtomicInteger TRIED = new AtomicInteger();

  private static final ConcurrentLinkedQueue<String> FAILURES = new ConcurrentLinkedQueue<>();

  /** Tries per route of {@link #ROUTES} made with the route's own method ("GET /api/v1/jobs"). */
  private static final Map<String, AtomicInteger> PER_ROUTE_TRIED =
      new java.util.concurrent.ConcurrentHashMap<>();

  @BeforeContainer
  static void startStackAndSeedIt() throws Exception {
    home = Files.createTempDirectory("gridrun-fuzz");
    System.setProperty("gridrun.security.admin-token", TOKEN);
    // an event stream's answer starts with its first heartbeat: soon, so that the tries
    // do not wait 15 s for each of them
    System.setProperty("gridrun.gateway.events.heartbeat", "200ms");
    stack =
        LocalStack.start(
            new StackSettings(
                    home, home.resolve("projects"), home.resolve("data"), 0, 0, false, false)
                .withRunners(0));
    base = stack.gatewayUrl();
    // the local stack's own admin token once it writes one (docs/security.md), else ours
    Path tokenFile = home.resolve("token");
    if (Files.exists(tokenFile)) {
      token = Files.readString(tokenFile).strip();
    }
    Path project = Files.createDirectories(home.resolve("projects/fuzz"));
    Files.writeString(
        project.resolve("p.pipeline.json"),
        """
        { "name": "p", "parameters": { "lr": 0.1 },
          "steps": [ { "id": "s", "file": "s.sh", "environment": "fuzz-env" } ] }
        """);
    Files.writeString(project.resolve("s.sh"), "echo hi\n");
    assertThat(
            send("PUT", "/api/v1/environments/fuzz-env", "{\"image\": \"gridrun/busybox:test\"}")
                .status)
        .isEqualTo(200);
    assertThat(
            send(
                    "POST",
                    "/api/v1/webhooks",
                    "{\"url\": \"http://93.184.216.34/hook\", \"events\": [\"job.paused\"],"
                        + " \"secret\": \"s\"}")
                .status)
        .isEqualTo(201);
    assertThat(
            send(
                    "POST",
                    "/api/v1/jobs",
                    "{\"name\": \"seed\", \"project\": \"fuzz\", \"pipeline\": \"p.pipeline.json\","
                        + " \"grid\": {\"pipeline\": {\"lr\": [1, 2, 3]}}}")
                .status)
        .isEqualTo(202);
    // the seeded job settles (its snapshot taken, its runs written), then the state is noted
    before =
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () -> {
                  Map<String, Long> first = counts();
                  Thread.sleep(500);
                  return first.equals(counts()) && first.get("runs") == 3 ? first : null;
                },
                counts -> counts != null);
  }

  @AfterContainer
  static void stateIsUnchangedAndEveryTryRan() throws Exception {
    try {
      assertThat(FAILURES).as("requests answered 5xx or 4xx without a problem detail").isEmpty();
      assertThat(counts())
          .as("stored state after the fuzzing; environments: %s", environments())
          .isEqualTo(before);
      assertThat(TRIED.get()).as("tries the engine ran").isEqualTo(TRIES);
      for (Tuple.Tuple2<String, String> route : ROUTES) {
        String name = route.get1() + " " + route.get2();
        assertThat(PER_ROUTE_TRIED.getOrDefault(name, new AtomicInteger()).get())
            .as("tries of %s with its own method", name)
            .isGreaterThanOrEqualTo(PER_ROUTE);
      }
    } finally {
      stack.close();
      System.clearProperty("gridrun.security.admin-token");
      System.clearProperty("gridrun.gateway.events.heartbeat");
    }
  }

  @Property(
      tries = TRIES,
      shrinking = ShrinkingMode.OFF,
      generation = GenerationMode.RANDOMIZED,
      edgeCases = EdgeCasesMode.NONE)
  void badInputIsAnsweredWithA4xxProblemDetailAndChangesNothing(
      @ForAll("requests") FuzzRequest request) throws Exception {
    int tried = TRIED.incrementAndGet();
    if (request.route() != null) {
      PER_ROUTE_TRIED.computeIfAbsent(request.route(), r -> new AtomicInteger()).incrementAndGet();
    }
    Answer answer;
    long began = System.nanoTime();
    try {
      answer = send(HTTP, request, STALL);
    } catch (java.net.http.HttpTimeoutException stalled) {
      // A pooled connection the server closed after refusing a body it did not read can leave
      // the client waiting; the same request on a new connection tells a stall from a hang.
      System.out.println(
          "fuzz: no answer within " + TIMEOUT + ", once more on a new connection: " + request);
      try {
        answer = send(freshClient(), request, TIMEOUT);
      } catch (java.net.http.HttpTimeoutException e) {
        FAILURES.add("no answer within " + TIMEOUT + " twice for " + request);
        System.out.println("fuzz: bad answer: none within " + TIMEOUT + " twice for " + request);
        return;
      }
    }
    long millis = (System.nanoTime() - began) / 1_000_000;
    if (millis > 1000) {
      System.out.println("fuzz: slow (" + millis + " ms, " + answer.status + "): " + request);
    }
    String failure = null;
    if (answer.status >= 500) {
      failure = answer.status + " for " + request + " → " + answer.body;
    } else if (answer.status >= 400 && !answer.contentType.startsWith("application/problem+json")) {
      failure = answer.status + " " + answer.contentType + " for " + request;
    }
    if (failure != null) {
      FAILURES.add(failure);
      System.out.println("fuzz: bad answer: " + failure);
    }
    // every bad answer is collected and reported together at the end (stateIsUnchanged…)
    if (tried % 100 == 0) {
      System.out.println(
          "fuzz: "
              + tried
              + " tries, "
              + FAILURES.size()
              + " bad answers, at "
              + java.time.Instant.now());
    }
    if (tried % 500 == 0) {
      assertThat(counts())
          .as("stored state after %d tries; environments: %s", tried, environments())
          .isEqualTo(before);
    }
  }

  /**
   * One generated request; {@code route} is its route of {@link #ROUTES} ("GET /api/v1/jobs/{}")
   * when it has the route's own method, else null.
   */
  record FuzzRequest(String route, String method, String path, String contentType, byte[] body) {
    @Override
    public String toString() {
      String text = new String(body, StandardCharsets.UTF_8);
      return method
          + " "
          + (path.length() > 300 ? path.substring(0, 300) + "…" : path)
          + " ["
          + contentType
          + "] "
          + (text.length() > 200 ? text.substring(0, 200) + "… (" + body.length + " bytes)" : text);
    }
  }

  /** Every route of docs/api.md; {@code {}} is a random id. */
  private static final List<Tuple.Tuple2<String, String>> ROUTES =
      List.of(
          Tuple.of("PUT", "/api/v1/environments/{}"),
          Tuple.of("GET", "/api/v1/environments/{}"),
          Tuple.of("GET", "/api/v1/environments"),
          Tuple.of("POST", "/api/v1/jobs"),
          Tuple.of("POST", "/api/v1/jobs:preview"),
          Tuple.of("POST", "/api/v1/jobs/preview"),
          Tuple.of("GET", "/api/v1/jobs"),
          Tuple.of("GET", "/api/v1/jobs/{}"),
          Tuple.of("GET", "/api/v1/jobs/{}/runs"),
          Tuple.of("GET", "/api/v1/runs/{}"),
          Tuple.of("GET", "/api/v1/runs/{}/steps/{}/logs"),
          Tuple.of("GET", "/api/v1/jobs/{}/results"),
          Tuple.of("GET", "/api/v1/jobs/{}/results.csv"),
          Tuple.of("POST", "/api/v1/jobs/{}/cancel"),
          Tuple.of("POST", "/api/v1/runs/{}/cancel"),
          Tuple.of("POST", "/api/v1/jobs/{}/pause"),
          Tuple.of("POST", "/api/v1/jobs/{}/resume"),
          Tuple.of("POST", "/api/v1/jobs/{}/trigger"),
          Tuple.of("POST", "/api/v1/jobs/{}/rerun-failed"),
          Tuple.of("POST", "/api/v1/jobs/{}/duplicate"),
          Tuple.of("DELETE", "/api/v1/jobs/{}"),
          Tuple.of("PUT", "/api/v1/projects/{}"),
          Tuple.of("GET", "/api/v1/projects"),
          Tuple.of("GET", "/api/v1/projects/{}/pipelines"),
          Tuple.of("GET", "/api/v1/snapshots/{}"),
          Tuple.of("GET", "/api/v1/snapshots/{}/files"),
          Tuple.of("GET", "/api/v1/snapshots/{}/files/{}"),
          Tuple.of("GET", "/api/v1/events"),
          Tuple.of("POST", "/api/v1/webhooks"),
          Tuple.of("GET", "/api/v1/webhooks"),
          Tuple.of("GET", "/api/v1/webhooks/{}"),
          Tuple.of("DELETE", "/api/v1/webhooks/{}"),
          Tuple.of("GET", "/api/v1/webhooks/{}/deliveries"),
          Tuple.of("POST", "/api/v1/tokens"),
          Tuple.of("GET", "/api/v1/tokens"),
          Tuple.of("DELETE", "/api/v1/tokens/{}"));

  @Provide
  Arbitrary<FuzzRequest> requests() {
    Arbitrary<Tuple.Tuple2<String, String>> route = Arbitraries.of(ROUTES);
    Arbitrary<String> otherMethod = Arbitraries.of("GET", "POST", "PUT", "DELETE", "PATCH");
    Arbitrary<Boolean> ownMethod = Arbitraries.of(true, true, true, true, false);
    Arbitrary<List<String>> ids = ids().list().ofSize(2);
    Arbitrary<String> query = queries();
    Arbitrary<String> contentType =
        Arbitraries.of(
            "application/json",
            "application/json",
            "application/json",
            "text/plain",
            "application/gzip",
            "application/octet-stream",
            "application/x-www-form-urlencoded",
            "");
    return Combinators.combine(route, otherMethod, ownMethod, ids, query, contentType, bodies())
        .as(
            (r, other, own, twoIds, q, type, body) -> {
              String path = r.get2();
              for (String id : twoIds) {
                path = path.replaceFirst("\\{}", java.util.regex.Matcher.quoteReplacement(id));
              }
              String method = own ? r.get1() : other;
              return new FuzzRequest(
                  method.equals(r.get1()) ? r.get1() + " " + r.get2() : null,
                  method,
                  path + q,
                  type,
                  body);
            });
  }

  /** Path segments: unicode, URL-special, traversal, operator and long ids, percent-encoded. */
  private static Arbitrary<String> ids() {
    Arbitrary<String> unicode = Arbitraries.strings().all().ofMinLength(0).ofMaxLength(40);
    Arbitrary<String> special =
        Arbitraries.strings()
            .withChars("[]{}$.%/\\?#&=+;:@!*'()<>\"` |^~,")
            .alpha()
            .ofMinLength(1)
            .ofMaxLength(30);
    Arbitrary<String> known =
        Arbitraries.of(
            "..",
            ".",
            "%2e%2e",
            "$gt",
            "a[0]",
            "[x]",
            "j-20260101-000000-abcdef",
            "j-20260101-000000-abcdef-r0000001",
            "fuzz",
            "http://169.254.169.254/x",
            "null",
            "0",
            "-1");
    Arbitrary<String> long_ = Arbitraries.strings().alpha().numeric().ofLength(600);
    return Arbitraries.frequencyOf(
            Tuple.of(4, unicode), Tuple.of(3, special), Tuple.of(2, known), Tuple.of(1, long_))
        .map(ApiFuzzTest::encodeSegment);
  }

  /** Queries with paging, sorting, filtering and cursor parameters, good and bad. */
  private static Arbitrary<String> queries() {
    Arbitrary<String> key =
        Arbitraries.oneOf(
            Arbitraries.of(
                "page",
                "size",
                "sort",
                "order",
                "status",
                "batch",
                "q",
                "project",
                "job",
                "lastEventId",
                "follow",
                "timestamps",
                "param.lr",
                "param.",
                "param..a",
                "param.$gt",
                "param.a.$ne",
                "path"),
            Arbitraries.strings().all().ofMaxLength(12));
    Arbitrary<String> value =
        Arbitraries.oneOf(
            Arbitraries.of(
                "-1",
                "0",
                "501",
                "99999999999999999999",
                "abc",
                "a.",
                ".a",
                "a..b",
                "$where",
                "true",
                "desc",
                "sideways",
                "SUCCESS",
                "1.2.3",
                "0.0.0"),
            Arbitraries.strings().all().ofMaxLength(30),
            Arbitraries.integers().map(String::valueOf));
    return Combinators.combine(key, value)
        .as((k, v) -> encodeQuery(k) + "=" + encodeQuery(v))
        .list()
        .ofMaxSize(4)
        .map(pairs -> pairs.isEmpty() ? "" : "?" + String.join("&", pairs));
  }

  /** Bodies: malformed, wrongly typed, oversized, deeply nested, unicode, or none. */
  private static Arbitrary<byte[]> bodies() {
    Arbitrary<String> malformed =
        Arbitraries.of(
            "",
            "{",
            "}",
            "{\"name\":",
            "{\"url\": \"http://x\",",
            "[1, 2,",
            "nul",
            "{'single': 'quotes'}",
            "{\"a\": 01}",
            "{\"a\": NaN}",
            "\uFEFF{}",
            "{\"a\": \"\\ud800\"}");
    Arbitrary<String> scalars =
        Arbitraries.of("null", "[]", "[null]", "42", "-1e999", "\"text\"", "true", "{}");
    Arbitrary<String> wronglyTyped =
        Combinators.combine(fieldNames(), wrongValues())
            // any non-blank string is a valid image reference to register (resolved at job time):
            // an image gets only values of the wrong type, or the try could create an environment
            .as((k, v) -> "\"" + k + "\": " + (k.equals("image") && v.startsWith("\"") ? "[]" : v))
            .list()
            .ofMinSize(1)
            .ofMaxSize(8)
            .map(fields -> "{" + String.join(", ", fields) + "}");
    Arbitrary<String> nested =
        Combinators.combine(
                Arbitraries.integers().between(50, 5000), Arbitraries.of("[", "{\"a\":"))
            .as(
                (depth, open) ->
                    open.repeat(depth) + "1" + (open.equals("[") ? "]" : "}").repeat(depth));
    Arbitrary<String> oversized =
        Combinators.combine(
                fieldNames(), Arbitraries.integers().between(5_000, 300_000), Arbitraries.chars())
            .as(
                (k, n, c) -> {
                  String value = "\"" + String.valueOf(c).repeat(n) + "\"";
                  // a long image name is still a name to register: an image gets it in an array
                  return "{\"" + k + "\": " + (k.equals("image") ? "[" + value + "]" : value) + "}";
                });
    Arbitrary<String> unicode = Arbitraries.strings().all().ofMaxLength(200);
    Arbitrary<String> unicodeFields =
        Combinators.combine(
                Arbitraries.strings().all().ofMaxLength(20),
                Arbitraries.strings().all().ofMaxLength(60))
            .as((k, v) -> EventCodec.mapper().writeValueAsString(Map.of(k, v)));
    Arbitrary<byte[]> binary = Arbitraries.bytes().array(byte[].class).ofMaxSize(2000);
    return Arbitraries.frequencyOf(
        Tuple.of(2, malformed.map(ApiFuzzTest::utf8)),
        Tuple.of(1, scalars.map(ApiFuzzTest::utf8)),
        Tuple.of(5, wronglyTyped.map(ApiFuzzTest::utf8)),
        Tuple.of(1, nested.map(ApiFuzzTest::utf8)),
        Tuple.of(1, oversized.map(ApiFuzzTest::utf8)),
        Tuple.of(1, unicode.map(ApiFuzzTest::utf8)),
        Tuple.of(1, unicodeFields.map(ApiFuzzTest::utf8)),
        Tuple.of(1, binary));
  }

  /** The fields the API reads, so that wrongly typed values reach the parsers. */
  private static Arbitrary<String> fieldNames() {
    return Arbitraries.of(
        "name",
        "project",
        "pipeline",
        "grid",
        "env",
        "secrets",
        "maxParallelRuns",
        "exclude",
        "include",
        "runs",
        "schedule",
        "overlap",
        "missed",
        "failFast",
        "maxRetainedRuns",
        "snapshot",
        "timeout",
        "image",
        "network",
        "url",
        "events",
        "secret",
        "scope");
  }

  /**
   * Values of the wrong type or out of range for every field; never a complete valid request (no
   * request may create anything): a string field gets no plain valid string.
   */
  private static Arbitrary<String> wrongValues() {
    return Arbitraries.of(
        "null",
        "1",
        "-1",
        "0",
        "1e308",
        "99999999999999999999999",
        "true",
        "[]",
        "[1, \"a\", null]",
        "{}",
        "{\"pipeline\": 1}",
        "{\"pipeline\": {\"lr\": 5}}",
        "{\"pipeline\": {\"lr\": []}, \"steps\": [1]}",
        "{\"cron\": \"* * * * * *\"}",
        "{\"cron\": \"61 * * * *\", \"timezone\": \"Mars/Base\"}",
        "{\"at\": \"yesterday\"}",
        "\"\"",
        "\"   \"",
        "\"400000000000d\"",
        "\"-5s\"",
        "\"../../etc/passwd\"",
        "\"http://169.254.169.254/latest\"",
        "\"file:///etc/passwd\"",
        "\"http://127.0.0.2/hook\"",
        "\"http://[::1]/x\"",
        "\"job.exploded\"",
        "[\"job.nothing\"]",
        "{\"A\": {\"b\": 1}}",
        "{\"1BAD\": \"x\"}",
        "\"\\u0000\\u202e\\ud83d\\ude00\"");
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String encodeSegment(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String encodeQuery(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private record Answer(int status, String contentType, String body) {}

  private static Answer send(String method, String path, String json) throws Exception {
    return send(HTTP, new FuzzRequest(null, method, path, "application/json", utf8(json)), TIMEOUT);
  }

  private static Answer send(HttpClient http, FuzzRequest request, Duration timeout)
      throws Exception {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + request.path()))
            .timeout(timeout)
            .header("Authorization", "Bearer " + token)
            .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
    if (!request.contentType().isEmpty()) {
      builder.header("Content-Type", request.contentType());
    }
    HttpResponse<InputStream> response =
        http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
    String type = response.headers().firstValue("Content-Type").orElse("");
    try (InputStream in = response.body()) {
      // a stream (events, a followed log) is not read to its end
      String body =
          type.startsWith("text/event-stream")
              ? ""
              : new String(in.readNBytes(4096), StandardCharsets.UTF_8);
      return new Answer(response.statusCode(), type, body);
    }
  }

  /** Jobs, the seeded job's runs, environments and webhooks, as the API counts them. */
  private static Map<String, Long> counts() throws Exception {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("jobs", total("/api/v1/jobs?size=1"));
    counts.put("environments", total("/api/v1/environments?size=1"));
    counts.put("webhooks", total("/api/v1/webhooks?size=1"));
    long runs = 0;
    for (Object job : (List<?>) json("/api/v1/jobs?size=500").get("items")) {
      String id = String.valueOf(((Map<?, ?>) job).get("id"));
      runs += total("/api/v1/jobs/" + id + "/runs?size=1");
    }
    counts.put("runs", runs);
    return counts;
  }

  /** The registered environments as the API lists them, to name what a try created. */
  private static Object environments() throws Exception {
    return json("/api/v1/environments?size=50").get("items");
  }

  private static long total(String path) throws Exception {
    return ((Number) json(path).get("total")).longValue();
  }

  private static Map<?, ?> json(String path) throws Exception {
    HttpResponse<String> answer =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(path + " → " + answer.body()).isEqualTo(200);
    return EventCodec.mapper().readValue(answer.body(), Map.class);
  }
}
