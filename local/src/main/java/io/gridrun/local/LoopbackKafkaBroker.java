package io.gridrun.local;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node KRaft Kafka server (broker and controller in one) whose two listeners are bound to
 * 127.0.0.1 only. Kafka's test kit (under spring-kafka's {@code EmbeddedKafkaKraftBroker}) binds
 * its listeners to every interface whatever {@code listeners} says, so the local stack starts the
 * server itself: storage formatted in a log directory, then {@link KafkaRaftServer} with loopback
 * listeners. A persistent log directory ({@code $GRIDRUN_HOME/kafka}) is formatted once and kept:
 * the next start, even after a kill -9, is the same cluster with its topics, records and committed
 * offsets. Without one, a temporary directory makes each start a fresh cluster.
 */
final class LoopbackKafkaBroker implements AutoCloseable {

  private static final String LOOPBACK = InternalServices.LOOPBACK;
  private static final String BROKER = "PLAINTEXT";
  private static final String CONTROLLER = "CONTROLLER";

  private final Path dir;
  private final boolean temporary;
  private final KafkaRaftServer server;
  private final int port;
  private final int controllerPort;

  private LoopbackKafkaBroker(
      Path dir, boolean temporary, KafkaRaftServer server, int port, int controllerPort) {
    this.dir = dir;
    this.temporary = temporary;
    this.server = server;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  /** Formats a fresh temporary log directory and starts the server (a new cluster each time). */
  static LoopbackKafkaBroker start(int partitions, Map<String, String> overrides)
      throws IOException {
    return start(null, partitions, overrides);
  }

  /**
   * Starts the server on the log directory {@code logDir}, formatting it first if it was never
   * formatted (a temporary one, deleted on close, when {@code logDir} is null); returns once it
   * takes requests.
   */
  static LoopbackKafkaBroker start(Path logDir, int partitions, Map<String, String> overrides)
      throws IOException {
    return start(logDir, freeLoopbackPort(), freeLoopbackPort(), partitions, overrides);
  }

  /**
   * The broker again where this one was: on its log and its ports, once it was closed (a broker
   * that comes back after an outage, where its clients expect it).
   */
  LoopbackKafkaBroker restart(int partitions, Map<String, String> overrides) throws IOException {
    if (temporary) {
      throw new IllegalStateException("a broker on a temporary log cannot start again");
    }
    return start(dir, port, controllerPort, partitions, overrides);
  }

  private static LoopbackKafkaBroker start(
      Path logDir, int port, int controllerPort, int partitions, Map<String, String> overrides)
      throws IOException {
    boolean temporary = logDir == null;
    Path dir = temporary ? Files.createTempDirectory("gridrun-kafka-") : logDir.toAbsolutePath();
    Files.createDirectories(dir);
    try {
      Map<String, Object> props = new HashMap<>();
      props.put("process.roles", "broker,controller");
      props.put("node.id", "1");
      props.put(
          "listeners",
          BROKER
              + "://"
              + LOOPBACK
              + ":"
              + port
              + ","
              + CONTROLLER
              + "://"
              + LOOPBACK
              + ":"
              + controllerPort);
      props.put("advertised.listeners", BROKER + "://" + LOOPBACK + ":" + port);
      props.put(
          "listener.security.protocol.map", BROKER + ":PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
      props.put("inter.broker.listener.name", BROKER);
      props.put("controller.listener.names", CONTROLLER);
      props.put("controller.quorum.voters", "1@" + LOOPBACK + ":" + controllerPort);
      props.put("log.dirs", dir.toString());
      props.put("metadata.log.dir", dir.toString());
      props.put("num.partitions", String.valueOf(partitions));
      props.put("offsets.topic.replication.factor", "1");
      props.put("offsets.topic.num.partitions", "5");
      props.put("transaction.state.log.replication.factor", "1");
      props.put("transaction.state.log.min.isr", "1");
      props.put("share.coordinator.state.topic.replication.factor", "1");
      props.put("share.coordinator.state.topic.min.isr", "1");
      props.put("group.initial.rebalance.delay.ms", "0");
      props.put("log.cleaner.dedupe.buffer.size", "2097152");
      props.putAll(overrides);
      KafkaConfig config = new KafkaConfig(props, false);
      if (!Files.exists(dir.resolve(META_PROPERTIES))) {
        // static voters (controller.quorum.voters): the controller's port is not stored in the
        // log, so a later start on another free port finds its cluster as it left it
        new Formatter()
            .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
            .setNodeId(1)
            .setClusterId(Uuid.randomUuid().toString())
            .setDirectories(List.of(dir.toString()))
            .setMetadataLogDirectory(dir.toString())
            .setControllerListenerName(CONTROLLER)
            .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
            .run();
      }
      KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      return new LoopbackKafkaBroker(dir, temporary, server, port, controllerPort);
    } catch (IOException | RuntimeException e) {
      deleteIf(temporary, dir);
      throw e;
    } catch (Exception e) {
      deleteIf(temporary, dir);
      throw new IllegalStateException("the Kafka broker did not start: " + e.getMessage(), e);
    }
  }

  /** The file formatting writes into a log directory: the cluster id and the node id. */
  static final String META_PROPERTIES = "meta.properties";

  /** The id of the cluster whose log is in {@code logDir}, if it was formatted. */
  static java.util.Optional<String> clusterId(Path logDir) throws IOException {
    Path meta = logDir.resolve(META_PROPERTIES);
    if (!Files.exists(meta)) {
      return java.util.Optional.empty();
    }
    java.util.Properties properties = new java.util.Properties();
    try (var in = Files.newInputStream(meta)) {
      properties.load(in);
    }
    return java.util.Optional.ofNullable(properties.getProperty("cluster.id"));
  }

  /** Where the log lives. */
  Path logDir() {
    return dir;
  }

  /**
   * A port free on loopback now (the controller's goes into the quorum's configuration before the
   * server starts, and {@link KafkaRaftServer} does not tell the ports it bound).
   */
  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
      return socket.getLocalPort();
    }
  }

  /** {@code 127.0.0.1:<port>}: where clients bootstrap. */
  String bootstrapServers() {
    return LOOPBACK + ":" + port;
  }

  /** The ports of both listeners: the broker's and its controller's. */
  List<Integer> ports() {
    return List.of(port, controllerPort);
  }

  @Override
  public void close() {
    try {
      server.shutdown();
      server.awaitShutdown();
    } finally {
      deleteIf(temporary, dir);
    }
  }

  private static void deleteIf(boolean temporary, Path dir) {
    if (!temporary) {
      return; // the stack's log: kept for the next start
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory: left behind at worst
    }
  }
}
