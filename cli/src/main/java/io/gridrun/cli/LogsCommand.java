package io.gridrun.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gridrun logs RUN STEP [-f]}. */
@Command(
    mixinStandardHelpOptions = true,
    name = "logs",
    description = "A step's output (stdout and stderr).")
final class LogsCommand extends ClientCommand {

  @Parameters(index = "0", paramLabel = "RUN", description = "The run id (j-…-r0000003).")
  String run;

  @Parameters(index = "1", paramLabel = "STEP", description = "The step id.")
  String step;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing as the step writes, until it ends.")
  boolean follow;

  @Override
  int run(Main main) throws IOException {
    Api api = main.api();
    String path =
        "/api/v1/runs/"
            + Api.segment(run)
            + "/steps/"
            + Api.segment(step)
            + "/logs"
            + (follow ? "?follow=true" : "");
    try (InputStream log = api.stream(path, Map.of("Accept", "text/plain, */*"))) {
      byte[] buffer = new byte[8192];
      int read;
      while ((read = readSome(api, log, buffer)) >= 0) {
        main.out.write(buffer, 0, read);
        main.out.flush();
      }
    }
    return Main.OK;
  }

  private static int readSome(Api api, InputStream in, byte[] buffer) {
    try {
      return in.read(buffer);
    } catch (IOException e) {
      throw api.unreachable(e);
    }
  }
}
