package io.gridrun.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code gridrun <client command>}: talks to a gridrun gateway over its HTTP API. Exit codes: 0 ok,
 * 1 job FAILURE, 2 job ABORTED, 3 client error (4xx, bad usage), 4 server or connection error.
 */
@Command(
    name = "gridrun",
    mixinStandardHelpOptions = true,
    version = "gridrun 0.1.0",
    description = "The gridrun client: push projects, run grid jobs, follow them, read results.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:ok",
      "1:the job ended FAILURE",
      "2:the job ended ABORTED",
      "3:client error (the server answered 4xx, or bad usage)",
      "4:server error (5xx) or the server cannot be reached"
    },
    subcommands = {
      PushCommand.class,
      EnvCommand.class,
      RunCommand.class,
      JobsCommand.class,
      RunsCommand.class,
      LogsCommand.class,
      ResultsCommand.class,
      WatchCommand.class,
      TokenCommand.class,
      DltCommand.class,
      AutoComplete.GenerateCompletion.class
    })
public final class Main {

  public static final int OK = 0;
  public static final int JOB_FAILED = 1;
  public static final int JOB_ABORTED = 2;
  public static final int CLIENT_ERROR = 3;
  public static final int SERVER_ERROR = 4;

  static final String DEFAULT_SERVER = "http://localhost:8080";

  @Option(
      names = "--server",
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      description = "The gateway (default $GRIDRUN_SERVER, else " + DEFAULT_SERVER + ").")
  String server;

  @Option(
      names = "--token",
      scope = ScopeType.INHERIT,
      paramLabel = "TOKEN",
      description =
          "API token (default $GRIDRUN_TOKEN, else the file $GRIDRUN_HOME/token, GRIDRUN_HOME"
              + " defaulting to ./.gridrun).")
  String token;

  @Option(
      names = "--output",
      scope = ScopeType.INHERIT,
      paramLabel = "FORMAT",
      description = "table (default) or json: the API's own JSON, JSON lines for watch.")
  Format output;

  /** How results are shown. */
  enum Format {
    table,
    json
  }

  final PrintStream out;
  final PrintStream err;
  final Map<String, String> env;
  final boolean terminal;
  final Clock clock;

  Main(PrintStream out, PrintStream err, Map<String, String> env, boolean terminal, Clock clock) {
    this.out = out;
    this.err = err;
    this.env = env;
    this.terminal = terminal;
    this.clock = clock;
  }

  public static void main(String[] args) {
    int code = execute(args, System.out, System.err, System.getenv(), System.console() != null);
    System.out.flush();
    System.exit(code);
  }

  /** Runs one command line; what it prints goes to {@code out} and {@code err}. */
  public static int execute(
      String[] args, PrintStream out, PrintStream err, Map<String, String> env, boolean terminal) {
    Main main = new Main(out, err, env, terminal, Clock.systemUTC());
    CommandLine cli = new CommandLine(main);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler(
        (e, command, parsed) -> {
          if (e instanceof CliException problem) {
            err.println("gridrun: " + problem.getMessage());
            return problem.exitCode();
          }
          err.println("gridrun: " + e.getClass().getSimpleName() + ": " + e.getMessage());
          return SERVER_ERROR;
        });
    cli.setParameterExceptionHandler(
        (e, ignored) -> {
          err.println(
              "gridrun: "
                  + e.getMessage()
                  + " (see '"
                  + e.getCommandLine().getCommandSpec().qualifiedName()
                  + " --help')");
          return CLIENT_ERROR;
        });
    return cli.execute(args);
  }

  boolean json() {
    return output == Format.json;
  }

  /**
   * With {@code --output json}, prints the API's answer as it came and says so: the command is then
   * done with it; else prints nothing.
   */
  boolean printedAsJson(String answer) {
    if (json()) {
      out.println(answer.strip());
    }
    return json();
  }

  /** {@code --server}, else {@code $GRIDRUN_SERVER}, else {@value #DEFAULT_SERVER}. */
  URI server() {
    String address = server;
    if (blank(address)) {
      address = env.get("GRIDRUN_SERVER");
    }
    if (blank(address)) {
      address = DEFAULT_SERVER;
    }
    while (address.endsWith("/")) {
      address = address.substring(0, address.length() - 1);
    }
    if (!address.contains("://")) {
      address = "http://" + address;
    }
    try {
      return URI.create(address);
    } catch (IllegalArgumentException e) {
      throw new CliException(CLIENT_ERROR, "not a server address: " + address);
    }
  }

  /** {@code --token}, else {@code $GRIDRUN_TOKEN}, else {@code $GRIDRUN_HOME/token}; or null. */
  String token() {
    if (!blank(token)) {
      return token.trim();
    }
    String fromEnv = env.get("GRIDRUN_TOKEN");
    if (!blank(fromEnv)) {
      return fromEnv.trim();
    }
    String home = env.get("GRIDRUN_HOME");
    Path file = Path.of(blank(home) ? ".gridrun" : home).resolve("token");
    try {
      if (Files.isReadable(file)) {
        String value = Files.readString(file).trim();
        return value.isEmpty() ? null : value;
      }
    } catch (java.io.IOException e) {
      return null;
    }
    return null;
  }

  Api api() {
    return new Api(server(), token());
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
