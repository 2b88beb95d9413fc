package io.gridrun.runner;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.gridrun.common.event.Topics;
import io.gridrun.platform.messaging.EventPublisher;
import io.gridrun.platform.storage.ObjectStorage;
import io.gridrun.runner.config.DockerProperties;
import io.gridrun.runner.config.KubernetesProperties;
import io.gridrun.runner.config.RunnerProperties;
import io.gridrun.runner.config.SecretsProperties;
import io.gridrun.runner.config.StorageProperties;
import io.gridrun.runner.execution.Cancellations;
import io.gridrun.runner.execution.RunExecutor;
import io.gridrun.runner.execution.StepSlots;
import io.gridrun.runner.lease.AttemptsInFlight;
import io.gridrun.runner.lease.FencedEvents;
import io.gridrun.runner.lease.Heartbeats;
import io.gridrun.runner.messaging.RunSlots;
import io.gridrun.runner.runtime.ContainerRuntime;
import io.gridrun.runner.runtime.DockerRuntime;
import io.gridrun.runner.runtime.KubernetesRuntime;
import io.gridrun.runner.storage.RunnerStorage;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

@Configuration(proxyBeanMethods = false)
class RunnerConfiguration {

  private static final Logger log = LoggerFactory.getLogger(RunnerConfiguration.class);

  @Bean
  ContainerRuntime containerRuntime(
      RunnerProperties runner, DockerProperties docker, KubernetesProperties kubernetes) {
    if (runner.executor() == RunnerProperties.Executor.KUBERNETES) {
      return kubernetesRuntime(runner, kubernetes);
    }
    ContainerRuntime runtime =
        RuntimeChoice.choose(
            runner.executor(),
            () ->
                new DockerRuntime(
                    docker.host(),
                    new DockerRuntime.Confinement(
                        docker.network(),
                        docker.openNetwork(),
                        runner.defaults().pids() != null
                            ? runner.defaults().pids()
                            : docker.pidsLimit(),
                        runner.defaults().memoryBytes(),
                        runner.defaults().nanoCpus(),
                        runner.defaults().tmpSize().toMegabytes() + "m",
                        runner.workDir().resolve(".data-views"),
                        true),
                    runner.fleet()),
            docker.host());
    // containers of this fleet left on this host: this runner id's own are adopted (Adoption),
    // other dead runners' removed by the orphan sweep (Housekeeping) unless their runner adopts
    // them first; another fleet's are never touched
    return runtime;
  }

  private static KubernetesRuntime kubernetesRuntime(
      RunnerProperties runner, KubernetesProperties kubernetes) {
    String pod = System.getenv().getOrDefault("HOSTNAME", runner.runnerId());
    KubernetesRuntime runtime =
        new KubernetesRuntime(
            new KubernetesClientBuilder().build(),
            new KubernetesRuntime.Settings(
                kubernetes.namespaceOrOwn(),
                kubernetes.workClaim(),
                kubernetes.workMount(),
                kubernetes.dataClaim(),
                pod,
                kubernetes.defaultUid(),
                kubernetes.poll(),
                kubernetes.workingCopy() == KubernetesProperties.WorkingCopy.OBJECT_STORE
                    ? new KubernetesRuntime.WorkingCopyFetch(
                        kubernetes.fetchImage(), kubernetes.fetchSecret())
                    : null));
    int removed = runtime.removeLeftovers(runner.runnerId());
    if (removed > 0) {
      log.info("Removed {} step Pods left behind by runners that are gone", removed);
    }
    return runtime;
  }

  @Bean
  Cancellations cancellations() {
    return new Cancellations();
  }

  @Bean
  StepSlots stepSlots(RunnerProperties runner, MeterRegistry meters) {
    StepSlots slots = new StepSlots(runner.slots());
    Gauge.builder("gridrun.runner.slots.busy", slots, StepSlots::busy).register(meters);
    Gauge.builder("gridrun.runner.slots.free", slots, s -> s.total() - s.busy()).register(meters);
    return slots;
  }

  @Bean
  AttemptsInFlight attemptsInFlight() {
    return new AttemptsInFlight();
  }

  @Bean
  Heartbeats heartbeats(
      AttemptsInFlight inFlight,
      Cancellations cancellations,
      EventPublisher publisher,
      RunnerProperties runner,
      RunExecutor executor) {
    return new Heartbeats(
            inFlight,
            cancellations,
            publisher::publish,
            runner.runnerId(),
            runner.heartbeatInterval(),
            Clock.systemUTC())
        .reportingEndedAttempts(executor::recordedOutcome);
  }

  @Bean
  Housekeeping housekeeping(
      Heartbeats heartbeats, ContainerRuntime runtime, RunnerProperties runner) {
    return new Housekeeping(heartbeats, runtime, runner.orphanSweep());
  }

  @Bean
  RunnerStorage runnerStorage(
      StorageProperties storage,
      RunnerProperties runner,
      ObjectProvider<ObjectStorage> bucket,
      ObjectProvider<KafkaTemplate<String, String>> kafka) {
    if (!storage.objectStore()) {
      return RunnerStorage.shared(
          storage.blobs(), storage.logs(), storage.logs() == null ? null : storage.artifactsDir());
    }
    Path work = runner.workDir().toAbsolutePath();
    KafkaTemplate<String, String> template = kafka.getObject();
    log.info(
        "Runner {} shares no disk but /data: blobs, logs and artifacts go to the object store",
        runner.runnerId());
    return RunnerStorage.objectStore(
        bucket.getObject(),
        storage.logs() != null ? storage.logs() : work.resolve(".logs"),
        storage.blobCache() != null ? storage.blobCache() : work.resolveSibling("blob-cache"),
        storage.blobCacheMax().toBytes(),
        storage.data(),
        (runId, value) -> template.send(Topics.LOGS, runId, value));
  }

  @Bean
  RunExecutor runExecutor(
      ContainerRuntime runtime,
      RunnerStorage files,
      StorageProperties storage,
      RunnerProperties runner,
      EventPublisher publisher,
      Cancellations cancellations,
      AttemptsInFlight inFlight,
      StepSlots slots,
      SecretsProperties secrets) {
    log.info("Runner {} executes steps with the {} runtime", runner.runnerId(), runtime.name());
    return new RunExecutor(
            new RunExecutor.Parts(
                runtime,
                files.blobs(),
                files.logs(),
                new FencedEvents(publisher::publishAndWait, publisher::publish, inFlight),
                cancellations,
                slots,
                new io.gridrun.runner.execution.StepOutputs(
                    files.artifacts(), runner.maxArtifactBytes().toBytes()),
                files.shipping()),
            new RunExecutor.Settings(
                runner.workDir(),
                storage.data(),
                runner.runnerId(),
                runner.stepParallelism(),
                runner.metricsMaxBytes(),
                runner.maxLogBytes().toBytes(),
                runner.networkPolicy(),
                secrets.box()),
            Clock.systemUTC())
        .withProjects(
            new io.gridrun.runner.execution.RunProjects(
                files.blobs(),
                runner.workDir(),
                // a Pod sees the claim, not this runner's mounts
                runtime.name().equals("kubernetes")
                    ? io.gridrun.runner.execution.RunProjects.Mode.COPY
                    : io.gridrun.runner.execution.RunProjects.Mode.valueOf(
                        runner.workingCopy().name()),
                runner.snapshotTrees(),
                runtime instanceof DockerRuntime engine ? engine.workingCopyOwner() : null));
  }

  @Bean(destroyMethod = "")
  RunSlots runSlots(
      RunnerProperties runner,
      RunExecutor executor,
      AttemptsInFlight inFlight,
      Heartbeats heartbeats,
      MeterRegistry meters) {
    RunSlots slots =
        new RunSlots(
            runner.slots(),
            new SlotExecution(executor::execute, inFlight, heartbeats, Clock.systemUTC()));
    Gauge.builder("gridrun.runner.runs.active", slots, RunSlots::busy).register(meters);
    return slots;
  }

  @Bean
  Adoption adoption(
      ContainerRuntime runtime,
      RunExecutor executor,
      RunSlots slots,
      AttemptsInFlight inFlight,
      Heartbeats heartbeats,
      RunnerProperties runner) {
    return new Adoption(
        runtime,
        executor,
        slots,
        inFlight,
        heartbeats::outcomeReported,
        runner.runnerId(),
        Clock.systemUTC());
  }

  @Bean
  SlotDrain slotDrain(RunSlots slots, RunnerProperties runner, Heartbeats heartbeats) {
    return new SlotDrain(slots, runner.drainTimeout(), heartbeats);
  }
}
