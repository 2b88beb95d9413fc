package io.gridrun.runner.config;

import io.gridrun.common.pipeline.NetworkPolicy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * A runner's settings.
 *
 * @param executor {@code docker}, {@code process}, {@code auto} (Docker when the engine answers),
 *     or {@code kubernetes} (each step a Pod, see {@code gridrun.kubernetes.*})
 * @param workDir where runs' working copies are materialised
 * @param slots steps this runner runs at once, over all its runs; it also takes at most this many
 *     runs at a time (each needs a slot to make progress)
 * @param stepParallelism steps of one run that may run at once (independent branches)
 * @param id this runner's name in events ({@code RunStarted.runner}) and container labels; defaults
 *     to {@code <host name>-<process id>}
 * @param metricsMaxBytes a larger metrics file is ignored
 * @param drainTimeout on shutdown, how long running steps may take to finish
 * @param maxLogBytes a step's stored log holds at most this much of its output (all its attempts
 *     together); more is read and discarded, and the log says where it was truncated
 * @param heartbeatInterval how often a heartbeat is sent for each attempt in flight (at least three
 *     per lease timeout, whatever this says)
 * @param maxArtifactBytes a step's artifacts (its outputs directory) are kept up to this size;
 *     files beyond it are reported in the step's log and not kept
 * @param orphanSweep how often containers of runner processes on this host that died are removed
 * @param defaults limits of every container step whose pipeline sets none
 * @param networkPolicy {@code none} (no step gets a network; one that asks fails), {@code allowed}
 *     (a step gets one when it asks) or {@code always} (every step gets one)
 * @param workingCopy how a run's working copy is made: {@code overlay} (an overlay mount of the
 *     snapshot, materialised once per runner, with the run's own upper layer; needs a Linux runner
 *     that may mount), {@code copy} (a full copy per run) or {@code auto} (overlay where a trial
 *     mount succeeds, else copy)
 * @param snapshotTrees materialised snapshots (overlay lower layers) kept when no run uses them
 * @param fleet the installation this runner belongs to, written on its containers: a runner removes
 *     or adopts only containers of its own fleet, so that two installations sharing a Docker engine
 *     (two local stacks on one machine) never touch each other's steps; empty: containers without a
 *     fleet only
 */
@ConfigurationProperties("gridrun.runner")
@Validated
public record RunnerProperties(
    @NotNull @DefaultValue("docker") Executor executor,
    @NotNull Path workDir,
    @DefaultValue("4") @Min(1) int slots,
    @DefaultValue("4") @Min(1) int stepParallelism,
    String id,
    @DefaultValue("65536") @Min(1) int metricsMaxBytes,
    @NotNull @DefaultValue("30s") Duration drainTimeout,
    @NotNull @DefaultValue("16MB") DataSize maxLogBytes,
    @NotNull @DefaultValue("10s") Duration heartbeatInterval,
    @NotNull @DefaultValue("10s") Duration orphanSweep,
    @NotNull @DefaultValue("100MB") DataSize maxArtifactBytes,
    @NotNull @Valid @DefaultValue StepDefaults defaults,
    @NotNull @DefaultValue("allowed") NetworkPolicy networkPolicy,
    @NotNull @DefaultValue("auto") WorkingCopy workingCopy,
    @DefaultValue("8") @Min(0) int snapshotTrees,
    String fleet) {

  /** How a run's working copy is made. */
  public enum WorkingCopy {
    AUTO,
    OVERLAY,
    COPY
  }

  /**
   * Operator defaults of container steps ({@code gridrun.runner.defaults.*}), applied when the
   * pipeline sets none; the process executor applies none of them.
   *
   * @param memory memory limit (swap included); empty = none
   * @param cpus CPU limit in CPUs; empty = none
   * @param pids at most this many processes per container; empty = {@code
   *     gridrun.docker.pids-limit}
   * @param tmpSize size of the writable {@code /tmp} tmpfs of the read-only root filesystem
   */
  public record StepDefaults(
      @DefaultValue("4GB") DataSize memory,
      @DefaultValue("2") @DecimalMin("0.01") Double cpus,
      @Min(1) Long pids,
      @NotNull @DefaultValue("1GB") DataSize tmpSize) {

    public Long memoryBytes() {
      return memory == null ? null : memory.toBytes();
    }

    public Long nanoCpus() {
      return cpus == null ? null : Math.round(cpus * 1_000_000_000d);
    }
  }

  public enum Executor {
    DOCKER,
    PROCESS,
    AUTO,
    KUBERNETES
  }

  public RunnerProperties {
    if (id == null || id.isBlank()) {
      id = hostName() + "-" + ProcessHandle.current().pid();
    }
    if (fleet != null && fleet.isBlank()) {
      fleet = null;
    }
  }

  public String runnerId() {
    return id;
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      String fromEnv = System.getenv("HOSTNAME");
      return fromEnv == null || fromEnv.isBlank() ? "localhost" : fromEnv;
    }
  }
}
