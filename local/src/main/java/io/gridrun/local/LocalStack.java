package io.gridrun.local;

import io.gridrun.gateway.GatewayApplication;
import io.gridrun.job.JobServiceApplication;
import io.gridrun.runner.RunnerServiceApplication;
import io.gridrun.snapshot.SnapshotServiceApplication;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  private final StackInfrastructure infrastructure;
  private boolean childProcesses;
  private final ChildServices children;
  private final StartListener listener;
  private String token;
  private Path secretKey;

  private LocalStack(StackSettings settings, StartListener listener) {
    this.settings = settings;
    this.listener = listener;
    this.infrastructure = new StackInfrastructure(settings);
    this.children = new ChildServices(settings.serviceLogs(), listener);
  }

  public static LocalStack start(StackSettings settings) throws IOException {
    return start(settings, StartListener.NONE);
  }

  /** Starts the stack, telling {@code listener} as each of its parts starts. */
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
    settings = settings.withJobServiceUrl(jobServiceUrl);
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
      children.awaitHealthy();
      return this;
    } catch (RuntimeException e) {
      close();
      throw e;
    } catch (Exception e) {
      close();
      throw new IllegalStateException("a service did not start: " + e.getMessage(), e);
    }
  }

  /** The process of the service {@code name} (with {@link #inChildProcesses()}). */
  public ChildService child(String name) {
    return children.get(name);
  }

  /**
   * Starts the service {@code name} again in a new process on the same port, once its process ended
   * (killed, say); returns once it is healthy.
   */
  public ChildService restart(String name) throws IOException, InterruptedException {
    return children.restart(name);
  }

  /** Stops the broker (its log is kept), as an outage would; {@link #startKafka()} ends it. */
  public void stopKafka() {
    infrastructure.stopKafka();
  }

  /** Starts the broker again on its log and its ports after {@link #stopKafka()}. */
  public void startKafka() throws IOException {
    infrastructure.startKafka();
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
    infrastructure.start(listener);
  }

  /**
   * The database's process: a persistent stack runs it as a child process of its own (stop, kill
   * and start it again with this); an in-memory stack keeps it in this JVM (empty).
   */
  public java.util.Optional<DatabaseProcess> database() {
    return infrastructure.database();
  }

  private void startServices() {
    StackProperties own = new StackProperties(settings, secretKey);
    if (settings.jobServiceUrl() == null) {
      start(
          "job-service",
          JobServiceApplication.application(),
          own.jobService(mongoUri("gridrun-jobs")));
    }
    start(
        "snapshot-service",
        SnapshotServiceApplication.application(),
        own.snapshotService(mongoUri("gridrun-snapshots")));
    for (int i = 1; i <= settings.runners(); i++) {
      start(StackProperties.runnerName(i), RunnerServiceApplication.application(), own.runner(i));
    }
    start(
        "api-gateway",
        GatewayApplication.application(),
        own.gateway(token, mongoUri("gridrun-gateway"), ports));
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
    // its own event loops: a service that stops must not stop the others' (OwnNettyResources)
    application.addInitializers(new OwnNettyResources());
    ConfigurableApplicationContext context =
        StartedParts.as(listener, name, () -> application.run(args));
    services.add(context);
    ports.put(
        name, Integer.valueOf(context.getEnvironment().getProperty("local.server.port", "0")));
  }

  /** Launches the service in a process of its own; {@link #withServices()} waits for it. */
  private void startChild(String name, Class<?> mainClass, Map<String, String> own) {
    Map<String, String> properties = new LinkedHashMap<>(shared());
    properties.putAll(own);
    ports.put(name, children.launch(name, mainClass, properties));
  }

  /** What every service of this stack is given: the broker and the shared storage. */
  private Map<String, String> shared() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("spring.kafka.bootstrap-servers", kafkaBootstrap());
    properties.put("gridrun.storage.blobs", StackProperties.path(settings.blobs()));
    properties.put("gridrun.storage.logs", StackProperties.path(settings.logs()));
    properties.put("gridrun.storage.data", StackProperties.path(settings.dataDir()));
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
    properties.putAll(new StackProperties(settings, secretKey).joiningRunner(id));
    return properties;
  }

  /** The gateway's address: on 127.0.0.1 unless it is bound to one other address only. */
  public URI gatewayUrl() {
    return URI.create(
        "http://" + StackProperties.gatewayHost(settings.bind()) + ":" + ports.get("api-gateway"));
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
    return infrastructure.mongoUri(database);
  }

  public String kafkaBootstrap() {
    return infrastructure.kafkaBootstrap();
  }

  /** The ports the in-process broker listens on (on 127.0.0.1): its own and its controller's. */
  public List<Integer> kafkaListenerPorts() {
    return infrastructure.kafkaListenerPorts();
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
    children.close();
    for (int i = services.size() - 1; i >= 0; i--) {
      try {
        services.get(i).close();
      } catch (RuntimeException e) {
        System.err.println("gridrun: error while stopping a service: " + e.getMessage());
      }
    }
    services.clear();
    infrastructure.close();
  }
}
