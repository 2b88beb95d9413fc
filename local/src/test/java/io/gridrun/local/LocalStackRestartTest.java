package io.gridrun.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local stack in its persistent form (what {@code ./gridrun local} runs): jobs, runs and logs
 * outlive a restart of the whole stack on the same home directory.
 */
class LocalStackRestartTest {

  @TempDir Path home;

  @Test
  void jobsRunsAndLogsOutliveARestartOfTheStack() throws Exception {
    StackSettings settings =
        new StackSettings(home, home.resolve("projects"), home.resolve("data"), 0, 0, true, false);
    Path project = Files.createDirectories(home.resolve("projects/kept"));
    Files.writeString(
        project.resolve("p.pipeline.json"),
        """
        { "steps": [ { "id": "say", "file": "say.sh", "environment": "sh" } ] }
        """);
    Files.writeString(project.resolve("say.sh"), "echo kept across restarts\n");

    String jobId;
    try (LocalStack stack = LocalStack.start(settings)) {
      GridrunClient api = stack.client();
      assertThat(
              api.put("/api/v1/environments/sh", "{\"image\": \"gridrun/busybox:test\"}").status())
          .isEqualTo(200);
      GridrunClient.Answer created =
          api.post(
              "/api/v1/jobs",
              "{\"name\": \"kept\", \"project\": \"kept\", \"pipeline\": \"p.pipeline.json\"}");
      assertThat(created.status()).as(created.body()).isEqualTo(202);
      jobId = (String) created.json().get("id");
      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> "SUCCESS".equals(api.get("/api/v1/jobs/" + jobId).json().get("status")));
    }

    try (LocalStack stack = LocalStack.start(settings)) {
      GridrunClient api = stack.client();
      Map<String, Object> job = api.get("/api/v1/jobs/" + jobId).json();
      assertThat(job).containsEntry("status", "SUCCESS").containsEntry("runCount", 1);
      assertThat(api.get("/api/v1/environments/sh").status()).isEqualTo(200);
      assertThat(api.get("/api/v1/runs/" + jobId + "-r0000000").json())
          .containsEntry("status", "SUCCESS");
      assertThat(api.get("/api/v1/runs/" + jobId + "-r0000000/steps/say/logs").body())
          .isEqualTo("kept across restarts\n");
    }
  }
}
