package io.gridrun.runner.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.RemoveContainerCmd;
import com.github.dockerjava.api.exception.NotFoundException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Background removals against a fake engine: none is lost, closing waits for them. */
class ContainerRemovalsTest {

  /** An engine whose removals are recorded, refused while {@code refusals} lasts. */
  private static final class FakeEngine {
    final List<String> removed = new CopyOnWriteArrayList<>();
    final AtomicInteger refusals = new AtomicInteger();
    volatile CountDownLatch gate = new CountDownLatch(0);

    DockerClient client() {
      return (DockerClient)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {DockerClient.class},
              (proxy, method, args) -> {
                if (method.getName().equals("removeContainerCmd")) {
                  return removal((String) args[0]);
                }
                throw new UnsupportedOperationException(method.getName());
              });
    }

    private RemoveContainerCmd removal(String id) {
      return (RemoveContainerCmd)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {RemoveContainerCmd.class},
              (proxy, method, args) -> {
                if (method.getName().equals("withForce")) {
                  return proxy;
                }
                if (method.getName().equals("exec")) {
                  gate.await(10, TimeUnit.SECONDS);
                  if (id.startsWith("gone")) {
                    throw new NotFoundException("no such container");
                  }
                  if (refusals.getAndDecrement() > 0) {
                    throw new IllegalStateException("engine busy");
                  }
                  removed.add(id);
                  return null;
                }
                throw new UnsupportedOperationException(method.getName());
              });
    }
  }

  @Test
  void closingWaitsForTheRemovalsUnderWayAndRunsWhatFollowsEach() {
    FakeEngine engine = new FakeEngine();
    engine.gate = new CountDownLatch(1);
    ContainerRemovals removals = new ContainerRemovals(engine.client(), 2);
    List<String> after = new CopyOnWriteArrayList<>();

    removals.removeLater("a", () -> after.add("a"));
    removals.removeLater("b", () -> after.add("b"));
    removals.removeLater("c", () -> after.add("c"));
    assertThat(removals.pending()).isEqualTo(3);
    assertThat(removals.awaitUnderWay(Duration.ofMillis(50))).as("held by the engine").isFalse();
    engine.gate.countDown();
    removals.close();

    assertThat(engine.removed).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(after).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(removals.pending()).isZero();
  }

  @Test
  void aRemovalTheEngineRefusedIsTriedAgainUntilItSucceeds() {
    FakeEngine engine = new FakeEngine();
    engine.refusals.set(2);
    ContainerRemovals removals = new ContainerRemovals(engine.client(), 1);

    removals.removeLater("a", () -> {});
    assertThat(removals.awaitUnderWay(Duration.ofSeconds(10))).isTrue();
    assertThat(engine.removed).isEmpty();
    assertThat(removals.pending()).as("refused, kept for the next sweep").isEqualTo(1);

    assertThat(removals.retryFailed()).isZero();
    assertThat(removals.retryFailed()).isEqualTo(1);

    assertThat(engine.removed).containsExactly("a");
    assertThat(removals.pending()).isZero();
  }

  @Test
  void aContainerAlreadyGoneCountsAsRemoved() {
    ContainerRemovals removals = new ContainerRemovals(new FakeEngine().client(), 1);

    assertThat(removals.removeNow("gone-1")).isTrue();
    assertThat(removals.pending()).isZero();
  }

  @Test
  void onceClosedARemovalHappensAtOnce() {
    FakeEngine engine = new FakeEngine();
    ContainerRemovals removals = new ContainerRemovals(engine.client(), 1);
    removals.close();
    List<String> after = new CopyOnWriteArrayList<>();

    removals.removeLater("late", () -> after.add("late"));

    assertThat(engine.removed).containsExactly("late");
    assertThat(after).containsExactly("late");
  }
}
