package io.gridrun.local;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.gridrun.gateway.GatewayApplication;
import io.gridrun.job.JobServiceApplication;
import io.gridrun.runner.RunnerServiceApplication;
import io.gridrun.snapshot.SnapshotServiceApplication;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole of gridrun on one machine: a real Kafka broker (KRaft; a persistent stack keeps its log
 * under {@code $GRIDRUN_HOME/kafka}), a MongoDB wire-protocol server (mongo-java-server; a
 * persistent stack runs it file-backed in a child process of its own, {@link DatabaseProcess}) and
 * the four services, each in its own Spring application context with its own port, talking to each
 * other only over Kafka and HTTP as they would in production.
 */
public final class LocalStack implements AutoCloseable {

  private StackSettings settings;
  private final List<ConfigurableApplicationContext> services = new ArrayList<>();
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private final Map<String, String> sharedExtras = new LinkedHashMap<>();
  private LoopbackKafkaBroker kafka;
  private PortForwarder kafkaForwarder;
  private MongoServer mongo;
  private DatabaseProcess database;
  private boolean childProcesses;
  private final Map<String, ChildService> children = new LinkedHashMap<>();
  private String mongoAddress;
  private final StartListener listener;
  private String token;
  private Path secretKey;

  private LocalStack(StackSettings settings, StartListener listener) {
    this.settings = settings;
    this.listener = listener;
  }

  public static LocalStack start(StackSettings settings) throws IOException {
    return start(settings, StartListener.NONE);
  }

  /** Starts the stack, telling {@code listener} as each of its {@link #parts} starts. */
  public static LocalStack start(StackSettings settings, StartListener listener)
      throws IOException {
    return infrastructure(settings, listener).withServices();
  }

  /** Kafka and MongoDB only; {@link #withServices()} starts the services on them. */
  public static LocalStack infrastructure(StackSettings settings) throws IOException {
    return infrastructure(settings, StartListener.NONE);
  }

  private static LocalStack infrastructure(StackSettings settings, StartListener listener)
      throws IOException {
    LocalStack stack = new LocalStack(settings, listener);
    try {
      stack.startInfrastructure();
      return stack;
    } catch (RuntimeException | IOException e) {
      stack.close();
      throw e;
    }
  }

  /** Starts the services, using a job-service that runs elsewhere (e.g. a JVM of its own). */
  public LocalStack withServices(String jobServiceUrl) {
    settings = settings.withJobServiceAt(jobServiceUrl);
    return withServices();
  }

  /**
   * Properties every service of this stack is given besides the broker and the storage paths, e.g.
   * {@code gridrun.storage.kind=s3} and the bucket's settings; call before {@link #withServices()}.
   */
  public LocalStack withSharedProperties(Map<String, String> properties) {
    sharedExtras.putAll(properties);
    return this;
  }

  /**
   * Runs each service that {@link #withServices()} starts in a process of its own ({@link
   * ChildService}), so that it can be killed with -9 and started again alone (see {@link
   * #child(String)}, {@link #restart(String)}); call before {@link #withServices()}.
   */
  public LocalStack inChildProcesses() {
    childProcesses = true;
    return this;
  }

  public LocalStack withServices() {
    try {
      startServices();
      for (ChildService child : children.values()) {
        ServiceLogs.as(
            child.name(),
            () -> {
              child.awaitHealthy(CHILD_START);
              return null;
            });
      }
      return this;
    } catch (RuntimeException e) {
      close();
      throw e;
    } catch (Exception e) {
      close();
      throw new IllegalStateException("a service did not start: " + e.getMessage(), e);
    }
  }

  private static final java.time.Duration CHILD_START = java.time.Duration.ofMinutes(4);

  /** The process of the service {@code name} (with {@link #inChildProcesses()}). */
  public ChildService child(String name) {
    ChildService child = children.get(name);
    if (child == null) {
      throw new IllegalArgumentException(name + " does not run in a process of its own");
    }
    return child;
  }

  /**
   * Starts the service {@code name} again in a new process on the same port, once its process ended
   * (killed, say); returns once it is healthy.
   */
  public ChildService restart(String name) throws IOException, InterruptedException {
    ChildService relaunched = child(name).relaunch();
    children.put(name, relaunched);
    relaunched.awaitHealthy(CHILD_START);
    return relaunched;
  }

  /** Stops the broker (its log is kept), as an outage would; {@link #startKafka()} ends it. */
  public void stopKafka() {
    kafka.close();
  }

  /** Starts the broker again on its log and its ports after {@link #stopKafka()}. */
  public void startKafka() throws IOException {
    kafka = kafka.restart(6, Map.of("auto.create.topics.enable", "true"));
  }

  private void startInfrastructure() throws IOException {
    for (var dir :
        List.of(
            settings.home(),
            settings.projectsRoot(),
            settings.dataDir(),
            settings.blobs(),
            settings.logs(),
            settings.work())) {
      Files.createDirectories(dir);
    }
    token = TokenFile.ensure(settings.home());
    secretKey = SecretKeyFile.ensure(settings.home());
    // A persistent stack keeps the broker's log under $GRIDRUN_HOME/kafka: queued work, committed
    // offsets and the status topic (the events' cursors) survive a restart, even a kill -9. Else a
    // temporary directory: each start is a fresh cluster. Both its listeners are on 127.0.0.1.
    kafka =
        as(
            "kafka",
            () ->
                LoopbackKafkaBroker.start(
                    settings.persistent() ? settings.kafkaLog() : null,
                    6,
                    Map.of("auto.create.topics.enable", "true")));
    if (settings.kafkaPort() > 0) {
      // a fixed port so that outside consumers (kcat, dashboards) can attach
      String[] hostPort = kafka.bootstrapServers().split(",")[0].split(":");
      kafkaForwarder =
          new PortForwarder(
              settings.kafkaPort(),
              new java.net.InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])));
    }
    if (settings.persistent()) {
      // its own process, so that it can be stopped and started alone; each acknowledged write is
      // synced to the file
      Files.createDirectories(settings.serviceLogs());
      database =
          as(
              "mongo",
              () ->
                  DatabaseProcess.start(
                      settings.home().resolve("mongo.mv"),
                      ServiceLogs.file(settings.serviceLogs(), "mongo")));
      mongoAddress = database.address();
    } else {
      as(
          "mongo",
          () -> {
            mongo = new MongoServer(new MemoryBackend());
            mongo.bind("127.0.0.1", 0);
          });
      InetSocketAddress address = mongo.getLocalAddress();
      mongoAddress = "127.0.0.1:" + address.getPort();
    }
  }

  /**
   * The database's process: a persistent stack runs it as a child process of its own (stop, kill
   * and start it again with this); an in-memory stack keeps it in this JVM (empty).
   */
  public java.util.Optional<DatabaseProcess> database() {
    return java.util.Optional.ofNullable(database);
  }

  private void startServices() {
    if (settings.jobServiceUrl() == null) {
      Map<String, String> jobService = new LinkedHashMap<>();
      jobService.putAll(InternalServices.properties());
      jobService.put("spring.mongodb.uri", mongoUri("gridrun-jobs"));
      jobService.put("server.port", port(1));
      if (settings.leases() != null) {
        jobService.putAll(settings.leases().properties());
      }
      start("job-service", JobServiceApplication.application(), jobService);
    }
    Map<String, String> snapshotService = new LinkedHashMap<>(InternalServices.properties());
    snapshotService.put("spring.mongodb.uri", mongoUri("gridrun-snapshots"));
    snapshotService.put("server.port", port(2));
    snapshotService.put("gridrun.snapshot.projects-root", path(settings.projectsRoot()));
    snapshotService.put("gridrun.snapshot.image-resolution", settings.docker() ? "docker" : "none");
    start("snapshot-service", SnapshotServiceApplication.application(), snapshotService);
    for (int i = 1; i <= settings.runners(); i++) {
      Map<String, String> runner = new LinkedHashMap<>(InternalServices.runnerProperties());
      runner.put("gridrun.runner.executor", settings.docker() ? "docker" : "process");
      runner.put("gridrun.secrets.key-file", path(secretKey));
      runner.putAll(slots());
      // started again under the same id, in the same work directory: the same runner on this
      // host, which adopts the step containers its predecessor left (a kill -9 of the stack)
      String id = stableRunnerId(i);
      runner.put("gridrun.runner.id", id);
      runner.put("gridrun.runner.work-dir", path(i == 1 ? settings.work() : runnerWork(id)));
      start(
          i == 1 ? "runner-service" : "runner-service-" + i,
          RunnerServiceApplication.application(),
          runner);
    }
    Map<String, String> gateway = new LinkedHashMap<>();
    gateway.put("server.port", String.valueOf(settings.gatewayPort()));
    gateway.put("server.address", settings.bind());
    gateway.put("gridrun.security.admin-token", token);
    gateway.put("gridrun.secrets.key-file", path(secretKey));
    String hosts = allowedHosts();
    if (!hosts.isEmpty()) {
      gateway.put("gridrun.security.allowed-hosts", hosts);
    }
    gateway.put("spring.mongodb.uri", mongoUri("gridrun-gateway"));
    gateway.put(
        "gridrun.gateway.job-service-url",
        settings.jobServiceUrl() != null
            ? settings.jobServiceUrl()
            : "http://" + InternalServices.LOOPBACK + ":" + ports.get("job-service"));
    gateway.put(
        "gridrun.gateway.snapshot-service-url",
        "http://" + InternalServices.LOOPBACK + ":" + ports.get("snapshot-service"));
    gateway.putAll(StackSettings.gatewayEnvironment(System.getenv()));
    start("api-gateway", GatewayApplication.application(), gateway);
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

  private void start(String name, SpringApplication application, Map<String, String> own) {
    if (childProcesses) {
      startChild(name, (Class<?>) application.getAllSources().iterator().next(), own);
      return;
    }
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("server.port", "0");
    properties.putAll(shared());
    properties.put("spring.main.banner-mode", "off");
    properties.put("spring.main.register-shutdown-hook", "false");
    properties.putAll(own);
    String[] args =
        properties.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    ConfigurableApplicationContext context = as(name, () -> application.run(args));
    services.add(context);
    ports.put(
        name, Integer.valueOf(context.getEnvironment().getProperty("local.server.port", "0")));
  }

  /** Launches the service in a process of its own; {@link #withServices()} waits for it. */
  private void startChild(String name, Class<?> mainClass, Map<String, String> own) {
    Map<String, String> properties = new LinkedHashMap<>(shared());
    properties.putAll(own);
    properties.remove("server.port"); // a free one, kept across restarts
    try {
      Files.createDirectories(settings.serviceLogs());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    ChildService child =
        as(
            name,
            () ->
                ChildService.launch(
                    new ChildService.Spec(
                        name,
                        mainClass.getName(),
                        List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                        properties,
                        ServiceLogs.file(settings.serviceLogs(), name))));
    children.put(name, child);
    ports.put(name, child.port());
  }

  /**
   * Starts a part of the stack: tells the listener, and marks the threads it starts as its own so
   * that their logging goes to its log (see {@link ServiceLogs}).
   */
  private <T> T as(String part, Callable<T> action) {
    listener.starting(part);
    try {
      return ServiceLogs.as(part, action);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(part + " did not start: " + e.getMessage(), e);
    }
  }

  private void as(String part, Runnable action) {
    as(
        part,
        () -> {
          action.run();
          return null;
        });
  }

  /**
   * The parts of a stack with these settings, in the order they start: the broker, the database,
   * then the services.
   */
  public static List<String> parts(StackSettings settings) {
    List<String> parts = new ArrayList<>(List.of("kafka", "mongo"));
    if (settings.jobServiceUrl() == null) {
      parts.add("job-service");
    }
    parts.add("snapshot-service");
    for (int i = 1; i <= settings.runners(); i++) {
      parts.add(i == 1 ? "runner-service" : "runner-service-" + i);
    }
    parts.add("api-gateway");
    return List.copyOf(parts);
  }

  /**
   * The ports on localhost a stack with these settings listens on whatever happens (the others are
   * chosen free at start), by the part that listens.
   */
  public static Map<String, Integer> fixedPorts(StackSettings settings) {
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

  /** What every service of this stack is given: the broker and the shared storage. */
  private Map<String, String> shared() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("spring.kafka.bootstrap-servers", kafkaBootstrap());
    properties.put("gridrun.storage.blobs", path(settings.blobs()));
    properties.put("gridrun.storage.logs", path(settings.logs()));
    properties.put("gridrun.storage.data", path(settings.dataDir()));
    properties.putAll(sharedExtras);
    return properties;
  }

  /**
   * The properties a runner-service in a process of its own needs to join this stack's fleet: the
   * broker, the shared storage, this stack's executor and a working directory of its own, under
   * {@code id}, which names the runner in events and on its containers (start it with {@link
   * ChildService} and {@code io.gridrun.runner.RunnerServiceApplication}).
   */
  public Map<String, String> runnerProperties(String id) {
    Map<String, String> properties = shared();
    properties.put("gridrun.runner.id", id);
    properties.put("gridrun.runner.executor", settings.docker() ? "docker" : "process");
    properties.put("gridrun.runner.work-dir", path(runnerWork(id)));
    properties.put("gridrun.secrets.key-file", path(secretKey));
    properties.putAll(slots());
    return properties;
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
    String home = settings.home().toAbsolutePath().normalize().toString();
    String key =
        java.util.HexFormat.of()
            .formatHex(
                java.util.Arrays.copyOf(
                    org.springframework.util.DigestUtils.md5Digest(
                        home.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    4));
    return "local-" + key + "-" + n;
  }

  private Path runnerWork(String runnerId) {
    return settings.home().resolve("runners").resolve(runnerId).resolve("work");
  }

  /** Services sit next to the gateway (8081, 8082, 8083 by default); random ports in tests. */
  private String port(int offset) {
    return settings.gatewayPort() == 0 ? "0" : String.valueOf(settings.gatewayPort() + offset);
  }

  private static String path(Path p) {
    return p.toAbsolutePath().normalize().toString();
  }

  /** The gateway's address: on 127.0.0.1 unless it is bound to one other address only. */
  public URI gatewayUrl() {
    String bind = settings.bind();
    String host =
        wildcard(bind) || ExecutorChoice.loopback(bind) ? InternalServices.LOOPBACK : hostOf(bind);
    return URI.create("http://" + host + ":" + ports.get("api-gateway"));
  }

  /** The stack's admin token, also in {@code $GRIDRUN_HOME/token}. */
  public String token() {
    return token;
  }

  /** The link that signs a browser in to the UI (the banner prints it). */
  public URI loginUrl() {
    return URI.create(
        gatewayUrl() + "/login?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
  }

  /** A client of this stack's API that sends its admin token. */
  public GridrunClient client() {
    return new GridrunClient(gatewayUrl(), token);
  }

  /** Each service's HTTP port, in start order. */
  public Map<String, Integer> ports() {
    return Map.copyOf(ports);
  }

  /** The MongoDB connection string of a database on this stack's server. */
  public String mongoUri(String database) {
    return "mongodb://" + mongoAddress + "/" + database;
  }

  public String kafkaBootstrap() {
    return kafka.bootstrapServers();
  }

  /** The ports the in-process broker listens on (on 127.0.0.1): its own and its controller's. */
  public List<Integer> kafkaListenerPorts() {
    return kafka.ports();
  }

  /** Where outside Kafka clients connect: the fixed port when one was asked for. */
  public String kafkaAddress() {
    return settings.kafkaPort() > 0 ? "localhost:" + settings.kafkaPort() : kafkaBootstrap();
  }

  public StackSettings settings() {
    return settings;
  }

  /** Stops the services (gateway first), then MongoDB and Kafka; closing again does nothing. */
  @Override
  public void close() {
    List<ChildService> started = new ArrayList<>(children.values());
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    children.clear();
    for (int i = services.size() - 1; i >= 0; i--) {
      try {
        services.get(i).close();
      } catch (RuntimeException e) {
        System.err.println("gridrun: error while stopping a service: " + e.getMessage());
      }
    }
    services.clear();
    if (mongo != null) {
      mongo.shutdownNow();
      mongo = null;
    }
    if (database != null) {
      try {
        database.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      database = null;
    }
    if (kafkaForwarder != null) {
      try {
        kafkaForwarder.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      kafkaForwarder = null;
    }
    if (kafka != null) {
      kafka.close();
      kafka = null;
    }
  }
}
