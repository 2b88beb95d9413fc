package io.gridrun.runner;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.RunRequested;
import io.gridrun.runner.execution.Cancellations;
import io.gridrun.runner.execution.RunExecutor;
import io.gridrun.runner.runtime.DockerRuntime;
import io.gridrun.storage.blob.FileSystemBlobStore;
import io.gridrun.storage.logs.StepLogStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A runner process for {@link AdoptionDockerTest} to kill -9: executes the run requests in the
 * given files with the Docker runtime, each in a thread of its own, as runner {@code args[0]}.
 * Arguments: runner id, work directory, data directory, blob directory, log directory, request
 * files.
 */
public final class LeftRunnerMain {

  private LeftRunnerMain() {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[1]);
    RunExecutor executor =
        new RunExecutor(
            new RunExecutor.Parts(
                new DockerRuntime(AdoptionDockerTest.HOST),
                new FileSystemBlobStore(Path.of(args[3])),
                new StepLogStore(Path.of(args[4])),
                event -> {},
                new Cancellations()),
            new RunExecutor.Settings(work, Path.of(args[2]), args[0], 4, 65536),
            Clock.systemUTC());
    List<Thread> threads = new ArrayList<>();
    for (int i = 5; i < args.length; i++) {
      RunRequested run = (RunRequested) EventCodec.decode(Files.readString(Path.of(args[i])));
      Thread thread = new Thread(() -> executor.execute(run));
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
  }
}
