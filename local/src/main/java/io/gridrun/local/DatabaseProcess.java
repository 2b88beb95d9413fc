package io.gridrun.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The local stack's database as a child process of the launcher ({@link DatabaseMain} on a file, on
 * a port of its own that it keeps across restarts), so that it can be stopped, killed and started
 * again alone while the services wait for it. Like the services' processes it never outlives the
 * launcher: a shutdown hook stops it, and it stops by itself when its standard input (a pipe from
 * the launcher) closes.
 */
public final class DatabaseProcess implements AutoCloseable {

  private static final Duration START = Duration.ofSeconds(60);
  private static final Duration GRACE = Duration.ofSeconds(30);

  private final Path file;
  private final Path log;
  private final int port;
  private volatile Process process;
  private volatile Thread killOnExit;

  private DatabaseProcess(Path file, Path log, int port) {
    this.file = file;
    this.log = log;
    this.port = port;
  }

  /** Starts the database on {@code file} on a free port; returns once it accepts connections. */
  static DatabaseProcess start(Path file, Path log) throws IOException {
    DatabaseProcess database = new DatabaseProcess(file, log, freePort());
    database.launch();
    return database;
  }

  private void launch() throws IOException {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    command.addAll(ChildService.childMain());
    command.add(DatabaseMain.class.getName());
    command.add(file.toAbsolutePath().toString());
    command.add(String.valueOf(port));
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    Process started = process;
    killOnExit = OrderlyStop.killHook(started::destroyForcibly, "kill-database");
    Runtime.getRuntime().addShutdownHook(killOnExit);
    awaitListening();
  }

  private void awaitListening() throws IOException {
    Instant deadline = Instant.now().plus(START);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IOException(
            "the database exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InternalServices.LOOPBACK, port), 500);
        return;
      } catch (IOException notYet) {
        pause(100);
      }
    }
    process.destroyForcibly();
    throw new IOException("the database did not listen within " + START + "; see " + log);
  }

  /** {@code 127.0.0.1:<port>}, the same across restarts. */
  public String address() {
    return InternalServices.LOOPBACK + ":" + port;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Freezes the process (SIGSTOP): it keeps its connections but answers nothing. */
  public void suspend() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** Lets a frozen process go on (SIGCONT). */
  public void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  /** Kills the process at once (SIGKILL), as a crash would. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
    forgetShutdownHook();
  }

  /** Starts the database again on the same file and port, once it is no longer running. */
  public void restart() throws IOException {
    if (process.isAlive()) {
      throw new IllegalStateException("the database is still running");
    }
    launch();
  }

  /** Stops the process (SIGTERM: the file is closed cleanly), killing it after a grace. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
    }
    forgetShutdownHook();
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(pid())).start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -" + name + " " + pid() + " failed");
    }
  }

  private void forgetShutdownHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway, and finds nothing left to kill
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
