package io.gridrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code gridrun watch JOB}: exit 0 SUCCESS, 1 FAILURE, 2 ABORTED. */
@Command(
    mixinStandardHelpOptions = true,
    name = "watch",
    description =
        "Follow a job live (from the event stream) until it ends; exit 0 SUCCESS, 1 FAILURE,"
            + " 2 ABORTED.")
final class WatchCommand extends ClientCommand {

  @Parameters(index = "0", paramLabel = "JOB")
  String job;

  @Override
  int run(Main main) {
    return new JobWatch(main, main.api(), job).watch();
  }
}
