package io.gridrun.local;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * How {@code ./gridrun local} and {@code ./gridrun demo} start the stack: one stack per home and
 * only on free ports (refused in one line otherwise, before anything starts), the logging of every
 * part to its own file, a line of progress, and, should a part fail to start, its name and the last
 * lines of its log.
 */
final class StackLauncher {

  /** Lines of a failed part's log shown on the console. */
  static final int LOG_LINES = 12;

  private StackLauncher() {}

  /** A started stack and the lock on its home, released when the stack is closed. */
  record Running(LocalStack stack, InstanceLock lock, boolean verbose) implements AutoCloseable {

    @Override
    public void close() {
      try {
        if (verbose) {
          stack.close();
        } else {
          QuietOutput.muted(
              () -> {
                stack.close();
                return null;
              });
        }
      } catch (Exception e) {
        System.err.println("gridrun: the stack did not stop cleanly: " + e.getMessage());
      } finally {
        lock.close();
      }
    }
  }

  /**
   * Starts the stack, logging to {@code settings.serviceLogs()} (and to {@code console} as well
   * when {@code verbose}) and showing its progress on {@code console}.
   *
   * @throws StartFailure when the home is in use, a port is taken or a part did not start
   */
  static Running start(StackSettings settings, boolean verbose, PrintStream console)
      throws StartFailure, IOException {
    Path home = settings.home();
    Optional<InstanceLock> acquired = InstanceLock.tryAcquire(home);
    if (acquired.isEmpty()) {
      throw new StartFailure(
          "gridrun: another gridrun"
              + InstanceLock.holder(home).map(pid -> " (pid " + pid + ")").orElse("")
              + " is already running on "
              + home
              + "; stop it first, or give this one another home (--home, GRIDRUN_HOME).");
    }
    InstanceLock lock = acquired.get();
    try {
      Optional<PortCheck.Busy> busy = PortCheck.firstBusy(StackProperties.fixedPorts(settings));
      if (busy.isPresent()) {
        throw new StartFailure(
            "gridrun: port "
                + busy.get().port()
                + " ("
                + busy.get().part()
                + ") is already in use; is another gridrun running? Choose other ports with"
                + " --port and --kafka-port (GRIDRUN_PORT, GRIDRUN_KAFKA_PORT).");
      }
      ServiceLogs.install(settings.serviceLogs(), verbose, console);
      return new Running(startParts(settings, verbose, console), lock, verbose);
    } catch (StartFailure | IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  private static LocalStack startParts(StackSettings settings, boolean verbose, PrintStream console)
      throws StartFailure {
    StartProgress progress =
        new StartProgress(
            console,
            ProgressLine.terminal(verbose),
            StackProperties.parts(settings),
            Clock.systemUTC());
    LocalStack stack;
    try {
      stack =
          verbose
              ? LocalStack.start(settings, progress)
              : QuietOutput.muted(() -> LocalStack.start(settings, progress));
    } catch (Exception e) {
      progress.failed();
      throw failure(settings.serviceLogs(), progress.current(), e);
    }
    progress.ready();
    return stack;
  }

  /** What to say when {@code part} did not start: its name, why, and its last lines of log. */
  static StartFailure failure(Path logs, String part, Exception e) {
    String name = part != null ? part : "the stack";
    List<String> tail = part != null ? ServiceLogs.tail(logs, part, LOG_LINES) : List.of();
    List<String> lines = new ArrayList<>();
    lines.add("gridrun: " + name + " did not start: " + reason(e));
    if (tail.isEmpty()) {
      lines.add("  (nothing in its log, " + ServiceLogs.file(logs, name) + ")");
    } else {
      lines.add("  the last lines of " + ServiceLogs.file(logs, name) + ":");
      tail.forEach(line -> lines.add("  | " + line));
    }
    try {
      // the whole story, stack trace included, for whoever reads the log
      ServiceLogs.as(
          name,
          () -> {
            LoggerFactory.getLogger(StackLauncher.class).error("{} did not start", name, e);
            return null;
          });
    } catch (Exception ignored) {
      // logging only
    }
    return new StartFailure(lines, e);
  }

  /** The innermost cause's message, on one line. */
  static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    String line = message.strip().lines().findFirst().orElse("").strip();
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
