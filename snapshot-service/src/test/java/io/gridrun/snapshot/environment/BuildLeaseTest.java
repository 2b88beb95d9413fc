package io.gridrun.snapshot.environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

/**
 * Two snapshot-service instances sharing one database: a build's version stays {@code BUILDING}
 * while its instance renews the lease, and fails only once its instance stopped renewing it.
 */
class BuildLeaseTest {

  private static final Duration LEASE = Duration.ofMinutes(1);

  @TempDir Path logs;
  private MongoServer mongo;
  private MongoClient client;
  private EnvironmentStore store;
  private final ExecutorService executor = Executors.newSingleThreadExecutor();
  private final CountDownLatch release = new CountDownLatch(1);
  private final MovableClock clock = new MovableClock();

  @BeforeEach
  void start() {
    mongo = new MongoServer(new MemoryBackend());
    client = MongoClients.create(mongo.bindAndGetConnectionString());
    store = new EnvironmentStore(new ReactiveMongoTemplate(client, "lease"));
  }

  @AfterEach
  void stop() {
    release.countDown();
    executor.shutdownNow();
    client.close();
    mongo.shutdownNow();
  }

  private EnvironmentBuilds instance(String owner, ImageBuilder builder) {
    return new EnvironmentBuilds(store, builder, new BuildLogs(logs), executor, clock, owner);
  }

  private EnvironmentVersion version(String name) {
    return store.findNow(name).orElseThrow().newest().orElseThrow();
  }

  @Test
  void aBuildRunningOnALiveInstanceIsNotFailedByAnotherAndAnOrphanedOneIs() {
    ImageBuilder blocking =
        (base, setup, tag, log) -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return "sha256:built";
        };
    EnvironmentBuilds first = instance("first", blocking);
    BuildLease firstLease = new BuildLease(store, first, LEASE, clock);
    first.start(new Environment("model", null, Map.of(), null, false, "base", "true", List.of()));
    assertThat(version("model").owner()).isEqualTo("first");

    // a second instance starting up (or sweeping) while the first builds leaves the build alone
    EnvironmentBuilds second = instance("second", blocking);
    BuildLease secondLease = new BuildLease(store, second, LEASE, clock);
    clock.advance(Duration.ofSeconds(40));
    firstLease.renew();
    assertThat(version("model").heartbeatAt()).isEqualTo(clock.instant());
    clock.advance(Duration.ofSeconds(40));
    secondLease.failExpired();
    assertThat(version("model").status()).isEqualTo(EnvironmentVersion.Status.BUILDING);

    // the first instance stops renewing (it died): after the lease the second fails the version
    clock.advance(Duration.ofSeconds(30));
    secondLease.failExpired();
    EnvironmentVersion failed = version("model");
    assertThat(failed.status()).isEqualTo(EnvironmentVersion.Status.FAILED);
    assertThat(failed.reason())
        .isEqualTo(
            "interrupted: the snapshot-service instance building it stopped (no heartbeat for"
                + " 60 s)");
  }

  @Test
  void theBuildsOwnInstanceNeverFailsItWhileItRuns() {
    EnvironmentBuilds only =
        instance(
            "only",
            (base, setup, tag, log) -> {
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return "sha256:built";
            });
    BuildLease lease = new BuildLease(store, only, LEASE, clock);
    only.start(new Environment("data", null, Map.of(), null, false, "base", "true", List.of()));
    clock.advance(Duration.ofMinutes(5));
    lease.failExpired();
    assertThat(version("data").status()).isEqualTo(EnvironmentVersion.Status.BUILDING);
    release.countDown();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> version("data").status() == EnvironmentVersion.Status.READY);
  }

  private static final class MovableClock extends Clock {
    private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
