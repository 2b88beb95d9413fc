package io.gridrun.local;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A gridrun service (any Spring Boot main class) in a JVM of its own, on this JVM's class path: to
 * measure it apart from the rest of the stack, or to kill it as a crash would ({@link #kill()} is
 * {@code kill -9}). It listens on a free port of its own, logs to a file, and never outlives this
 * JVM: a shutdown hook kills it, and should this JVM die without running hooks, the child notices
 * that its standard input closed and stops by itself (see {@link ChildMain}).
 */
public final class ChildService implements AutoCloseable {

  /** Exit status of a process killed by SIGKILL, as {@link Process#exitValue()} reports it. */
  public static final int KILLED = 128 + 9;

  private static final Duration GRACE = Duration.ofSeconds(30);

  /**
   * What to start.
   *
   * @param name the service's name in messages
   * @param mainClass the Spring Boot application's main class
   * @param jvmOptions e.g. {@code -Xmx256m}
   * @param properties Spring properties, given as {@code --name=value} arguments; {@code
   *     server.port} is chosen here
   * @param log where the child's standard output and error go
   */
  public record Spec(
      String name,
      String mainClass,
      List<String> jvmOptions,
      Map<String, String> properties,
      Path log) {

    public Spec {
      jvmOptions = List.copyOf(jvmOptions);
      properties = Map.copyOf(properties);
    }
  }

  private final Spec spec;
  private final Process process;
  private final int port;
  private final Thread killOnExit;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private ChildService(Spec spec, Process process, int port, Thread killOnExit) {
    this.spec = spec;
    this.process = process;
    this.port = port;
    this.killOnExit = killOnExit;
  }

  /** Starts the service and waits until it reports healthy; kills it if it does not in time. */
  public static ChildService start(Spec spec, Duration timeout)
      throws IOException, InterruptedException {
    ChildService child = launch(spec);
    child.awaitHealthy(timeout);
    return child;
  }

  /**
   * Starts the service without waiting for it, so that several can start at once; {@link
   * #awaitHealthy(Duration)} waits for it.
   */
  public static ChildService launch(Spec spec) throws IOException {
    return launch(spec, freePort());
  }

  /**
   * Starts the same service again on the same port, once this one has stopped (killed, say), as a
   * restarted service would come back where its clients expect it.
   */
  public ChildService relaunch() throws IOException {
    if (process.isAlive()) {
      throw new IllegalStateException(spec.name() + " is still running");
    }
    return launch(spec, port);
  }

  private static ChildService launch(Spec spec, int port) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(spec.jvmOptions());
    command.addAll(childMain());
    command.add(spec.mainClass());
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("spring.main.banner-mode", "off");
    // alone in its JVM, no other service uses its event loops: no need for Netty's 2 s quiet
    // period at its stop (OwnNettyResources says why services that share a JVM need more)
    properties.put("spring.reactor.netty.shutdown-quiet-period", "0s");
    properties.putAll(InternalServices.propertiesOf(spec.mainClass()));
    properties.putAll(spec.properties());
    properties.put("server.port", String.valueOf(port));
    properties.forEach((name, value) -> command.add("--" + name + "=" + value));
    // standard input stays a pipe that this JVM holds open: its end tells the child we are gone
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.log().toFile()))
            .start();
    Thread killOnExit = OrderlyStop.killHook(process::destroyForcibly, "kill-" + spec.name());
    Runtime.getRuntime().addShutdownHook(killOnExit);
    return new ChildService(spec, process, port, killOnExit);
  }

  /**
   * The arguments after {@code java} that run {@link ChildMain} on gridrun's classes: its class
   * path and name, or, when gridrun runs from its executable jar ({@code ./gridrun local}: classes
   * and libraries nested in it), Spring Boot's launcher of that jar told to start {@link
   * ChildMain}.
   */
  static List<String> childMain() {
    // under java -jar, the JVM's class path is that one jar (its class loader's are nested URLs)
    String jar = System.getProperty("java.class.path", "");
    if (jar.endsWith(".jar") && !jar.contains(File.pathSeparator) && executableJar(jar)) {
      return List.of(
          "-cp",
          jar,
          "-Dloader.main=" + ChildMain.class.getName(),
          "org.springframework.boot.loader.launch.PropertiesLauncher");
    }
    return List.of("-cp", classPath(), ChildMain.class.getName());
  }

  private static boolean executableJar(String jar) {
    try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar)) {
      return file.getManifest() != null
          && file.getManifest().getMainAttributes().getValue("Start-Class") != null;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /**
   * The class path gridrun runs with: the JVM's, or, under {@code mvn exec:java}, that of the class
   * loader the plugin built.
   */
  static String classPath() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader instanceof URLClassLoader urls && urls.getURLs().length > 0) {
      StringBuilder path = new StringBuilder();
      for (URL url : urls.getURLs()) {
        try {
          path.append(path.length() == 0 ? "" : File.pathSeparator).append(Path.of(url.toURI()));
        } catch (URISyntaxException e) {
          throw new IllegalStateException("unusable class path entry " + url, e);
        }
      }
      return path.toString();
    }
    return System.getProperty("java.class.path");
  }

  /**
   * Waits until {@code /actuator/health} answers 200; kills the child if it exits or does not get
   * there within {@code timeout}.
   */
  public void awaitHealthy(Duration timeout) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    try {
      while (Instant.now().isBefore(deadline)) {
        if (!process.isAlive()) {
          throw new IOException(
              spec.name() + " exited with " + process.exitValue() + "; see " + spec.log());
        }
        if (healthy()) {
          return;
        }
        process.waitFor(250, TimeUnit.MILLISECONDS);
      }
      throw new IOException(
          spec.name() + " did not become healthy within " + timeout + "; see " + spec.log());
    } catch (IOException | InterruptedException | RuntimeException e) {
      kill();
      throw e;
    }
  }

  private boolean healthy() throws InterruptedException {
    try {
      HttpResponse<Void> health =
          http.send(
              HttpRequest.newBuilder(URI.create(url() + "/actuator/health"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return health.statusCode() == 200;
    } catch (IOException notYet) {
      return false;
    }
  }

  public String name() {
    return spec.name();
  }

  public int port() {
    return port;
  }

  public String url() {
    return "http://" + InternalServices.LOOPBACK + ":" + port;
  }

  /** The child's operating-system process id. */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Kills the child at once with SIGKILL, as a crash would: nothing of it runs any more, no
   * shutdown hook, no goodbye to Kafka. Returns its exit status ({@link #KILLED} when it was still
   * running).
   */
  public int kill() throws InterruptedException {
    process.destroyForcibly(); // SIGKILL on Linux and macOS
    int status = process.waitFor();
    forgetShutdownHook();
    return status;
  }

  /** Stops the child gracefully (SIGTERM: Spring closes its context), killing it after a grace. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        System.err.println(
            "gridrun: " + spec.name() + " did not stop within " + GRACE + "; killing it");
        process.destroyForcibly();
        process.waitFor();
      }
    }
    forgetShutdownHook();
  }

  private void forgetShutdownHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway, and finds nothing left to kill
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
