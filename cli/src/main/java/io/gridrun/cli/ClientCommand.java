package io.gridrun.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A client command: reaches the root command's options, streams and the API. */
abstract class ClientCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  Main main() {
    return (Main) spec.root().userObject();
  }

  @Override
  public final Integer call() throws Exception {
    return run(main());
  }

  abstract int run(Main main) throws Exception;
}
