package io.gridrun.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.event.EventCodec;
import io.gridrun.gateway.GatewayIntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

@GatewayIntegrationTest
class EventStreamTest extends GatewayIntegrationTest.WithMongo {

  private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
      new ParameterizedTypeReference<>() {};

  @LocalServerPort int port;

  /** This context's broker (the system property names the broker started last, maybe another's). */
  @Autowired org.springframework.kafka.test.EmbeddedKafkaBroker broker;

  @Autowired StatusTopicTail tail;

  @Autowired io.micrometer.core.instrument.MeterRegistry meters;

  private void publish(String jobId, int n) throws Exception {
    publishPadded(jobId, n, null);
  }

  private Flux<ServerSentEvent<String>> connect(String query, String lastEventId) {
    return connect(query, lastEventId, new java.util.concurrent.CountDownLatch(1));
  }

  /**
   * The stream's events; {@code connected} counts down when the gateway's "connected" comment
   * arrives, sent once the stream has its place in the topic (what follows is delivered).
   */
  private Flux<ServerSentEvent<String>> connect(
      String query, String lastEventId, java.util.concurrent.CountDownLatch connected) {
    return WebClient.create("http://localhost:" + port)
        .get()
        .uri("/api/v1/events" + query)
        .header("Authorization", io.gridrun.gateway.GatewayIntegrationTest.ADMIN_BEARER)
        .accept(MediaType.TEXT_EVENT_STREAM)
        .headers(
            h -> {
              h.set("Authorization", "Bearer " + io.gridrun.gateway.GatewayIntegrationTest.TOKEN);
              if (lastEventId != null) {
                h.set("Last-Event-ID", lastEventId);
              }
            })
        .retrieve()
        .bodyToFlux(SSE)
        .doOnNext(
            e -> {
              if ("connected".equals(e.comment())) {
                connected.countDown();
              }
            })
        .filter(e -> e.data() != null);
  }

  private static void awaitConnected(java.util.concurrent.CountDownLatch connected)
      throws InterruptedException {
    assertThat(connected.await(30, java.util.concurrent.TimeUnit.SECONDS))
        .as("the stream said it is connected")
        .isTrue();
  }

  private static String runIdOf(ServerSentEvent<String> event) {
    return String.valueOf(EventCodec.mapper().readValue(event.data(), Map.class).get("runId"));
  }

  @Test
  void streamsStatusEventsAndResumesAfterTheLastEventIdWithoutGapsOrDuplicates() throws Exception {
    var attached = new java.util.concurrent.CountDownLatch(1);
    var firstConnection = connect("?job=job-a", null, attached).take(4).collectList().toFuture();
    awaitConnected(attached); // the subscription attached before anything is published
    publish("job-b", 3);
    publish("job-a", 10);

    List<ServerSentEvent<String>> first = firstConnection.get();
    assertThat(first)
        .extracting(EventStreamTest::runIdOf)
        .containsExactly("job-a-r0", "job-a-r1", "job-a-r2", "job-a-r3");
    assertThat(first).allSatisfy(e -> assertThat(e.event()).isEqualTo("run.status"));

    List<ServerSentEvent<String>> resumed =
        connect("?job=job-a", first.get(3).id())
            .take(6)
            .collectList()
            .block(Duration.ofSeconds(30));
    assertThat(resumed)
        .extracting(EventStreamTest::runIdOf)
        .containsExactly("job-a-r4", "job-a-r5", "job-a-r6", "job-a-r7", "job-a-r8", "job-a-r9");
  }

  @Test
  void aLastEventIdOfAnotherEventLogIsAnsweredWithAStreamResetThenTheEventsFromThereOn()
      throws Exception {
    String foreign = "AAAAAAAAAAAAAAAAAAAAAA:" + EventCursor.of(new long[tail.partitions()]).id();
    var received = new java.util.concurrent.LinkedBlockingQueue<ServerSentEvent<String>>();
    var subscription = connect("?job=job-r", foreign).subscribe(received::add);
    try {
      ServerSentEvent<String> reset = received.poll(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(reset).as("never silence").isNotNull();
      assertThat(reset.event()).isEqualTo("stream.reset");
      assertThat(reset.id()).startsWith(tail.epoch() + ":");
      assertThat(reset.data()).contains("another event log").contains("\"jobId\":\"job-r\"");
      publish("job-r", 2);
      List<ServerSentEvent<String>> after = new java.util.ArrayList<>();
      while (after.size() < 2) {
        ServerSentEvent<String> next = received.poll(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(next).as("the events after the reset").isNotNull();
        if ("run.status".equals(next.event())) {
          after.add(next);
        }
      }
      assertThat(after)
          .extracting(EventStreamTest::runIdOf)
          .containsExactly("job-r-r0", "job-r-r1");
      assertThat(after).allSatisfy(e -> assertThat(e.id()).startsWith(tail.epoch() + ":"));
    } finally {
      subscription.dispose();
    }
  }

  @Test
  void anIdWithoutEpochBeyondTheEndOfTheLogIsAnsweredWithAStreamReset() {
    long[] beyond = new long[tail.partitions()];
    java.util.Arrays.fill(beyond, 1_000_000_000L);
    ServerSentEvent<String> first =
        connect("", EventCursor.of(beyond).id()).next().block(Duration.ofSeconds(30));
    assertThat(first.event()).isEqualTo("stream.reset");
    assertThat(first.data()).contains("beyond the end");
  }

  @Test
  void resumingFromTheStartReplaysEveryJobsEventsInPartitionOrder() throws Exception {
    publish("job-c", 5);
    String origin = EventCursor.of(new long[tail.partitions()]).id();

    List<String> replayed =
        connect("?job=job-c", origin)
            .take(5)
            .map(EventStreamTest::runIdOf)
            .collectList()
            .block(Duration.ofSeconds(30));

    assertThat(replayed)
        .containsExactly("job-c-r0", "job-c-r1", "job-c-r2", "job-c-r3", "job-c-r4");
  }

  @Test
  void aClientThatStopsReadingIsDroppedWhileAReadingClientFarBehindItsBufferLosesNothing()
      throws Exception {
    double droppedBefore = meters.counter("gridrun.events.dropped").count();
    try (java.net.Socket slow = new java.net.Socket("localhost", port)) {
      slow.setReceiveBufferSize(4096);
      slow.getOutputStream()
          .write(
              ("GET /api/v1/events?job=job-slow HTTP/1.1\r\nHost: localhost\r\n"
                      + "Authorization: "
                      + io.gridrun.gateway.GatewayIntegrationTest.ADMIN_BEARER
                      + "\r\n"
                      + "Accept: text/event-stream\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      // its response's head and "connected" comment only: nothing is published yet
      slow.setSoTimeout(30_000);
      StringBuilder head = new StringBuilder();
      while (!head.toString().contains("connected")) {
        int c = slow.getInputStream().read();
        assertThat(c).as("the slow client's stream ended before it was connected").isNotNegative();
        head.append((char) c);
      }
      var attached = new java.util.concurrent.CountDownLatch(1);
      var fast =
          connect("?job=job-slow", null, attached)
              .take(4000)
              .map(EventStreamTest::runIdOf)
              .collectList()
              .toFuture();
      awaitConnected(attached);
      publishPadded("job-slow", 4000);

      // a reading client gets everything, in order, although its buffer holds 50 events and the
      // other client reads nothing
      assertThat(fast.get(60, java.util.concurrent.TimeUnit.SECONDS))
          .containsExactlyElementsOf(
              java.util.stream.IntStream.range(0, 4000).mapToObj(i -> "job-slow-r" + i).toList());
      // the gateway gives up on the client that reads nothing, without it having read a byte
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> meters.counter("gridrun.events.dropped").count() > droppedBefore);
      slow.setReceiveBufferSize(1 << 20); // now read what the kernel held back, quickly
      slow.setSoTimeout(10_000);
      // the response ends with the dropped event; the connection itself may stay open
      StringBuilder text = new StringBuilder();
      byte[] buffer = new byte[64 * 1024];
      var in = slow.getInputStream();
      int n;
      while (!text.toString().contains("to resume") && (n = in.read(buffer)) > 0) {
        text.append(new String(buffer, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1));
      }
      String received = text.toString();
      assertThat(received).contains("event:dropped").contains("reconnect with Last-Event-ID");
      assertThat(received.split("event:run.status", -1).length - 1).isLessThan(4000);
    }
  }

  @Autowired EventStreamController controller;

  @Test
  void aReadingClientThatFallsFarBehindItsBufferCatchesUpFromTheTopicWithoutLosingEvents()
      throws Exception {
    double catchUpsBefore = meters.counter("gridrun.events.catch-ups").count();
    long tailBefore = eventsInTopic();
    List<String> expected =
        java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "job-behind-r" + i).toList();

    reactor.test.StepVerifier.create(
            controller
                .events(
                    "job-behind",
                    null,
                    null,
                    org.springframework.mock.http.server.reactive.MockServerHttpRequest.get(
                            "/api/v1/events")
                        .build())
                .filter(e -> e.data() != null)
                .map(EventStreamTest::runIdOf),
            0)
        .then(() -> publishQuietly("job-behind", 1000, ""))
        // the client asks for nothing while the tail moves 1000 events past its buffer of 50
        .then(
            () ->
                org.awaitility.Awaitility.await().until(() -> eventsInTopic() >= tailBefore + 1000))
        .thenRequest(1000)
        .expectNextSequence(expected)
        .thenCancel()
        .verify(Duration.ofSeconds(60));

    assertThat(meters.counter("gridrun.events.catch-ups").count()).isGreaterThan(catchUpsBefore);
  }

  /**
   * A new client's place in the topic is taken while its request is handled, not when its answer is
   * subscribed to (which may come later, on another thread, after the "connected" comment went
   * out): CI lost the first events of a client that published right after it was connected.
   */
  @Test
  void aNewClientGetsWhatIsPublishedOnceItsRequestIsHandledEvenBeforeItsAnswerIsSubscribed()
      throws Exception {
    long before = eventsInTopic();
    Flux<ServerSentEvent<String>> answer =
        controller.events(
            "job-early",
            null,
            null,
            org.springframework.mock.http.server.reactive.MockServerHttpRequest.get(
                    "/api/v1/events")
                .build());
    publishQuietly("job-early", 3, "");
    org.awaitility.Awaitility.await().until(() -> eventsInTopic() >= before + 3);

    List<String> received =
        answer
            .filter(e -> e.data() != null)
            .map(EventStreamTest::runIdOf)
            .take(3)
            .collectList()
            .block(Duration.ofSeconds(30));

    assertThat(received).containsExactly("job-early-r0", "job-early-r1", "job-early-r2");
  }

  private static org.springframework.http.server.reactive.ServerHttpRequest request() {
    return org.springframework.mock.http.server.reactive.MockServerHttpRequest.get("/api/v1/events")
        .build();
  }

  @Test
  void aClientToldOfAResetIsToldOnceEvenWhenItCatchesUpFromTheTopic() throws Exception {
    double catchUpsBefore = meters.counter("gridrun.events.catch-ups").count();
    long tailBefore = eventsInTopic();
    String foreign = "AAAAAAAAAAAAAAAAAAAAAA:" + EventCursor.of(new long[tail.partitions()]).id();
    List<String> expected =
        java.util.stream.IntStream.range(0, 300)
            .mapToObj(i -> "run.status job-reset-behind-r" + i)
            .toList();

    reactor.test.StepVerifier.create(
            controller
                .events("job-reset-behind", foreign, null, request())
                .filter(e -> e.event() != null)
                .map(e -> e.event() + ("run.status".equals(e.event()) ? " " + runIdOf(e) : "")),
            0)
        .then(() -> publishQuietly("job-reset-behind", 300, ""))
        // nothing asked for while the tail moves 300 events past the client's buffer of 50
        .then(
            () ->
                org.awaitility.Awaitility.await().until(() -> eventsInTopic() >= tailBefore + 300))
        .thenRequest(Long.MAX_VALUE)
        .expectNext("stream.reset")
        .expectNextSequence(expected)
        .thenCancel()
        .verify(Duration.ofSeconds(60));

    assertThat(meters.counter("gridrun.events.catch-ups").count()).isGreaterThan(catchUpsBefore);
  }

  @Test
  void aDroppedClientThatReconnectsWithTheDroppedEventsIdMissesNothingAndGetsNothingTwice()
      throws Exception {
    double droppedBefore = meters.counter("gridrun.events.dropped").count();
    List<ServerSentEvent<String>> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    var reader =
        new reactor.core.publisher.BaseSubscriber<ServerSentEvent<String>>() {
          @Override
          protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
            request(5); // then reads no more: events queue up inside the stream until it is dropped
          }

          @Override
          protected void hookOnNext(ServerSentEvent<String> event) {
            received.add(event);
          }
        };
    controller
        .events("job-drop", null, null, request())
        .filter(e -> e.event() != null)
        .subscribe(reader);
    try {
      publishQuietly("job-drop", 200, "");
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> meters.counter("gridrun.events.dropped").count() > droppedBefore);
      reader.request(Long.MAX_VALUE); // what was on its way, then the dropped event
      org.awaitility.Awaitility.await()
          .until(() -> received.stream().anyMatch(e -> "dropped".equals(e.event())));
    } finally {
      reader.dispose();
    }
    ServerSentEvent<String> droppedEvent = received.get(received.size() - 1);
    assertThat(droppedEvent.event()).isEqualTo("dropped");
    List<String> before =
        received.subList(0, received.size() - 1).stream().map(EventStreamTest::runIdOf).toList();
    assertThat(before.size()).as("dropped before it read everything").isLessThan(200);

    List<String> after =
        controller
            .events("job-drop", droppedEvent.id(), null, request())
            .filter(e -> e.data() != null)
            .map(EventStreamTest::runIdOf)
            .take(200 - before.size())
            .collectList()
            .block(Duration.ofSeconds(30));

    List<String> all = new java.util.ArrayList<>(before);
    all.addAll(after);
    assertThat(all)
        .containsExactlyElementsOf(
            java.util.stream.IntStream.range(0, 200).mapToObj(i -> "job-drop-r" + i).toList());
  }

  @Test
  void aClientThatReadsSlowerThanEventsArriveIsDroppedOnceItFallsTooFarBehind() throws Exception {
    double droppedBefore = meters.counter("gridrun.events.dropped").count();
    List<ServerSentEvent<String>> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    // reads steadily, but 200 events a second: never stalled, yet ever further behind
    reactor.core.Disposable reader =
        controller
            .events(
                "job-lag",
                null,
                null,
                org.springframework.mock.http.server.reactive.MockServerHttpRequest.get(
                        "/api/v1/events")
                    .build())
            .filter(e -> e.data() != null)
            .delayElements(Duration.ofMillis(5))
            .subscribe(received::add);
    try {
      publishPadded("job-lag", 30_000, "");

      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> received.stream().anyMatch(e -> "dropped".equals(e.event())));
      ServerSentEvent<String> last = received.get(received.size() - 1);
      assertThat(last.event()).isEqualTo("dropped");
      assertThat(last.data())
          .contains("fell more than 20000 events behind")
          .contains("reconnect with Last-Event-ID");
      assertThat(last.id()).as("resumable from where it stood").isNotBlank();
      assertThat(received.size()).isLessThan(30_000);
      assertThat(meters.counter("gridrun.events.dropped").count()).isGreaterThan(droppedBefore);
    } finally {
      reader.dispose();
    }
  }

  private long eventsInTopic() {
    EventCursor position = tail.position();
    long total = 0;
    for (int p = 0; p < position.partitions(); p++) {
      total += position.next(p);
    }
    return total;
  }

  private void publishQuietly(String jobId, int n, String padding) {
    try {
      publishPadded(jobId, n, padding);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void publishPadded(String jobId, int n) throws Exception {
    publishPadded(jobId, n, "x".repeat(2000));
  }

  private void publishPadded(String jobId, int n, String padding) {
    StatusEvents.publish(broker, jobId, n, padding);
  }

  @Test
  void cursorsRoundTripAndRejectMalformedIds() {
    EventCursor cursor = EventCursor.of(3, 0, 7).after(1, 4);

    assertThat(cursor.id()).isEqualTo("3.5.7");
    assertThat(EventCursor.parse("3.5.7", 3)).contains(cursor);
    assertThat(EventCursor.parse("3.5", 3)).isEmpty();
    assertThat(EventCursor.parse("a.b.c", 3)).isEmpty();
    assertThat(cursor.admits(1, 4)).isFalse();
    assertThat(cursor.admits(1, 5)).isTrue();
  }
}
