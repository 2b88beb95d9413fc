package io.gridrun.local;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * Where the local stack's logging goes: each service's, the broker's and the database's log to a
 * file of its own, {@code <dir>/<name>.log} ({@code api-gateway}, {@code job-service}, {@code
 * snapshot-service}, {@code runner-service}, {@code kafka}, {@code mongo}; what belongs to none of
 * them to {@code gridrun.log}), rotated by size; with {@code verbose} they are also shown on the
 * console.
 *
 * <p>All parts of the stack share one JVM and so one logging system. A log event is given to a part
 * by its logger's name where that names it (the broker's, mongo-java-server's and gridrun's own
 * service packages), else by its thread: {@link #as} marks the thread that starts a part, and the
 * threads that part starts inherit the mark.
 */
public final class ServiceLogs {

  /** The file of what belongs to no part of the stack. */
  static final String OWN = "gridrun";

  private static final InheritableThreadLocal<String> PART = new InheritableThreadLocal<>();

  private static volatile boolean installed;

  private ServiceLogs() {}

  /**
   * Sends all logging of this JVM to files under {@code dir}, and to {@code console} as well when
   * {@code verbose}. Spring Boot is told to leave the logging system alone, so that the services'
   * contexts do not reset it as they start.
   */
  public static void install(Path dir, boolean verbose, PrintStream console) throws IOException {
    Files.createDirectories(dir);
    System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    ServiceLogRouter router = new ServiceLogRouter(dir, verbose ? console : null);
    router.setContext(context);
    router.setName("service-logs");
    router.start();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(router);
    // what each service's own configuration sets (logging.level.org.apache.kafka: WARN)
    context.getLogger("org.apache.kafka").setLevel(Level.WARN);
    context.getLogger("state.change.logger").setLevel(Level.WARN);
    bridgeJavaUtilLogging();
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, e) ->
            LoggerFactory.getLogger("uncaught")
                .error("uncaught in thread {}", thread.getName(), e));
    installed = true;
  }

  /** True once {@link #install} sent this JVM's logging to files. */
  static boolean installed() {
    return installed;
  }

  private static void bridgeJavaUtilLogging() {
    try {
      Class<?> bridge = Class.forName("org.slf4j.bridge.SLF4JBridgeHandler");
      bridge.getMethod("removeHandlersForRootLogger").invoke(null);
      bridge.getMethod("install").invoke(null);
    } catch (ReflectiveOperationException | LinkageError absent) {
      // no bridge on the class path: java.util.logging keeps its own console handler
    }
  }

  /**
   * Runs {@code action} with this thread, and every thread it starts, marked as belonging to {@code
   * part}: their log events go to that part's file unless their logger names another.
   */
  public static <T> T as(String part, Callable<T> action) throws Exception {
    String before = PART.get();
    PART.set(part);
    try {
      return action.call();
    } finally {
      PART.set(before);
    }
  }

  /** The part of the stack the current thread belongs to; {@link #OWN} when none. */
  static String currentPart() {
    String part = PART.get();
    return part != null ? part : OWN;
  }

  /** The part of the stack a log event belongs to: by its logger's name, else by its thread. */
  static String partOf(String loggerName) {
    if (loggerName.startsWith("io.gridrun.gateway")) {
      return "api-gateway";
    }
    if (loggerName.startsWith("io.gridrun.job")) {
      return "job-service";
    }
    if (loggerName.startsWith("io.gridrun.snapshot")) {
      return "snapshot-service";
    }
    if (loggerName.startsWith("io.gridrun.runner")) {
      return "runner-service";
    }
    if (loggerName.startsWith("de.bwaldvogel") || loggerName.startsWith("org.h2")) {
      return "mongo";
    }
    if (loggerName.startsWith("kafka.")
        || loggerName.equals("state.change.logger")
        || (loggerName.startsWith("org.apache.kafka.")
            && !loggerName.startsWith("org.apache.kafka.clients.")
            && !loggerName.startsWith("org.apache.kafka.common."))) {
      return "kafka";
    }
    return currentPart();
  }

  /** The file a part of the stack logs to. */
  public static Path file(Path dir, String part) {
    return dir.resolve(part + ".log");
  }

  /**
   * The last {@code count} lines of a part's log that are not stack frames: what a person reads
   * first to see why it failed.
   */
  public static List<String> tail(Path dir, String part, int count) {
    Path file = file(dir, part);
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    Deque<String> last = new ArrayDeque<>(count);
    try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
      lines
          .filter(line -> !line.isBlank() && !isStackFrame(line))
          .forEach(
              line -> {
                if (last.size() == count) {
                  last.removeFirst();
                }
                last.addLast(line);
              });
    } catch (IOException | RuntimeException unreadable) {
      return List.of();
    }
    return List.copyOf(last);
  }

  static boolean isStackFrame(String line) {
    String trimmed = line.strip();
    return trimmed.startsWith("at ")
        || trimmed.matches("\\.\\.\\. \\d+ (more|common frames omitted)");
  }
}
