package io.gridrun.local;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.util.DigestUtils;

/**
 * What the local stack gives each of its services besides what all share (the broker, the storage
 * paths; see {@link LocalStack}): ports next to the gateway's, databases, the runners' stable ids
 * and work directories, the gateway's token, secrets key and the Host names it answers to.
 */
final class StackProperties {

  private final StackSettings settings;
  private final Path secretKey;

  StackProperties(StackSettings settings, Path secretKey) {
    this.settings = settings;
    this.secretKey = secretKey;
  }

  Map<String, String> jobService(String mongoUri) {
    Map<String, String> jobService = new LinkedHashMap<>(InternalServices.properties());
    jobService.put("spring.mongodb.uri", mongoUri);
    jobService.put("server.port", port(1));
    if (settings.leases() != null) {
      jobService.putAll(settings.leases().properties());
    }
    return jobService;
  }

  Map<String, String> snapshotService(String mongoUri) {
    Map<String, String> snapshotService = new LinkedHashMap<>(InternalServices.properties());
    snapshotService.put("spring.mongodb.uri", mongoUri);
    snapshotService.put("server.port", port(2));
    snapshotService.put("gridrun.snapshot.projects-root", path(settings.projectsRoot()));
    snapshotService.put("gridrun.snapshot.image-resolution", settings.docker() ? "docker" : "none");
    return snapshotService;
  }

  /**
   * The parts of a stack with these settings, in the order they start: the broker, the database,
   * then the services.
   */
  static List<String> parts(StackSettings settings) {
    List<String> parts = new ArrayList<>(List.of("kafka", "mongo"));
    if (settings.jobServiceUrl() == null) {
      parts.add("job-service");
    }
    parts.add("snapshot-service");
    for (int i = 1; i <= settings.runners(); i++) {
      parts.add(runnerName(i));
    }
    parts.add("api-gateway");
    return List.copyOf(parts);
  }

  /**
   * The ports on localhost a stack with these settings listens on whatever happens (the others are
   * chosen free at start), by the part that listens.
   */
  static Map<String, Integer> fixedPorts(StackSettings settings) {
    Map<String, Integer> fixed = new LinkedHashMap<>();
    if (settings.gatewayPort() > 0) {
      fixed.put("api-gateway", settings.gatewayPort());
      if (settings.jobServiceUrl() == null) {
        fixed.put("job-service", settings.gatewayPort() + 1);
      }
      fixed.put("snapshot-service", settings.gatewayPort() + 2);
    }
    if (settings.kafkaPort() > 0) {
      fixed.put("kafka", settings.kafkaPort());
    }
    return fixed;
  }

  /** The part name of the stack's runner {@code n} (from 1). */
  static String runnerName(int n) {
    return n == 1 ? "runner-service" : "runner-service-" + n;
  }

  /**
   * Runner {@code n} of the stack: started again under the same id, in the same work directory, it
   * is the same runner on this host, which adopts the step containers its predecessor left (a kill
   * -9 of the stack).
   */
  Map<String, String> runner(int n) {
    Map<String, String> runner = new LinkedHashMap<>(InternalServices.runnerProperties());
    runner.put("gridrun.runner.executor", executor());
    runner.put("gridrun.secrets.key-file", path(secretKey));
    runner.putAll(slots());
    String id = stableRunnerId(n);
    runner.put("gridrun.runner.id", id);
    runner.put("gridrun.runner.fleet", fleet());
    runner.put("gridrun.runner.work-dir", path(n == 1 ? settings.work() : runnerWork(id)));
    return runner;
  }

  /** A runner in a process of its own that joins the stack's fleet under {@code id}. */
  Map<String, String> joiningRunner(String id) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("gridrun.runner.id", id);
    properties.put("gridrun.runner.fleet", fleet());
    properties.put("gridrun.runner.executor", executor());
    properties.put("gridrun.runner.work-dir", path(runnerWork(id)));
    properties.put("gridrun.secrets.key-file", path(secretKey));
    properties.putAll(slots());
    return properties;
  }

  /** The gateway, given the ports the services before it took. */
  Map<String, String> gateway(String token, String mongoUri, Map<String, Integer> ports) {
    Map<String, String> gateway = new LinkedHashMap<>();
    gateway.put("server.port", String.valueOf(settings.gatewayPort()));
    gateway.put("server.address", settings.bind());
    gateway.put("gridrun.security.admin-token", token);
    gateway.put("gridrun.secrets.key-file", path(secretKey));
    String hosts = allowedHosts();
    if (!hosts.isEmpty()) {
      gateway.put("gridrun.security.allowed-hosts", hosts);
    }
    gateway.put("spring.mongodb.uri", mongoUri);
    gateway.put(
        "gridrun.gateway.job-service-url",
        settings.jobServiceUrl() != null
            ? settings.jobServiceUrl()
            : "http://" + InternalServices.LOOPBACK + ":" + ports.get("job-service"));
    gateway.put(
        "gridrun.gateway.snapshot-service-url",
        "http://" + InternalServices.LOOPBACK + ":" + ports.get("snapshot-service"));
    gateway.putAll(StackSettings.gatewayEnvironment(System.getenv()));
    return gateway;
  }

  /** Where clients reach a gateway bound to {@code bind}: 127.0.0.1 unless bound elsewhere only. */
  static String gatewayHost(String bind) {
    return wildcard(bind) || ExecutorChoice.loopback(bind)
        ? InternalServices.LOOPBACK
        : hostOf(bind);
  }

  static String path(Path p) {
    return p.toAbsolutePath().normalize().toString();
  }

  private String executor() {
    return settings.docker() ? "docker" : "process";
  }

  /**
   * The Host names the gateway answers to (against DNS rebinding): loopback names, and the bind
   * address when it is a specific one; none (any) when it listens on every interface, whose names
   * the stack cannot know.
   */
  private String allowedHosts() {
    String bind = settings.bind();
    if (wildcard(bind)) {
      return "";
    }
    String hosts = "localhost,127.0.0.1,[::1]";
    return ExecutorChoice.loopback(bind) ? hosts : hosts + "," + hostOf(bind);
  }

  private static boolean wildcard(String bind) {
    return bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]");
  }

  private static String hostOf(String address) {
    return address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
  }

  /** {@code gridrun.runner.slots} when the settings fix it; else the runner's default. */
  private Map<String, String> slots() {
    return settings.runnerSlots() > 0
        ? Map.of("gridrun.runner.slots", String.valueOf(settings.runnerSlots()))
        : Map.of();
  }

  /**
   * The id of this home's runner {@code n}, the same at every start on this home (so a runner
   * started again adopts the step containers its predecessor left) and different from any other
   * home's (two stacks on one host never take each other's containers for their own).
   */
  private String stableRunnerId(int n) {
    return fleet() + "-" + n;
  }

  /**
   * The stack's runners' fleet, the same at every start on this home: containers of another stack
   * on the same Docker engine are never removed or adopted by this one's runners.
   */
  String fleet() {
    String home = settings.home().toAbsolutePath().normalize().toString();
    String key =
        HexFormat.of()
            .formatHex(
                Arrays.copyOf(DigestUtils.md5Digest(home.getBytes(StandardCharsets.UTF_8)), 4));
    return "local-" + key;
  }

  private Path runnerWork(String runnerId) {
    return settings.home().resolve("runners").resolve(runnerId).resolve("work");
  }

  /** Services sit next to the gateway (8081, 8082, 8083 by default); random ports in tests. */
  private String port(int offset) {
    return settings.gatewayPort() == 0 ? "0" : String.valueOf(settings.gatewayPort() + offset);
  }
}
