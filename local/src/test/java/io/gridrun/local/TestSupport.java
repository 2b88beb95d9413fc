package io.gridrun.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small helpers the end-to-end tests share: the docker CLI and the API's JSON. */
final class TestSupport {

  private TestSupport() {}

  /** Runs {@code docker args…}; its output's non-blank lines. Fails when the command fails. */
  static List<String> docker(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
    }
    return output.lines().filter(l -> !l.isBlank()).toList();
  }

  /** Removes a container if there is one. */
  static void removeContainer(String name) throws Exception {
    if (!docker("ps", "-aq", "--filter", "name=^" + name + "$").isEmpty()) {
      docker("rm", "-f", name);
    }
  }

  /** The first 50 runs of the job, as the API shows them. */
  static List<Map<String, Object>> runsOf(GridrunClient api, String jobId) throws Exception {
    return list(api.get("/api/v1/jobs/" + jobId + "/runs?size=50").json().get("items"));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(Object value) {
    return (List<Map<String, Object>>) value;
  }
}
