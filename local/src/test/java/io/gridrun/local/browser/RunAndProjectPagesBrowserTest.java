package io.gridrun.local.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gridrun.local.GridrunClient;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

/** The Run, Environments, Projects and Snapshot pages in a real browser. */
class RunAndProjectPagesBrowserTest extends BrowserTestBase {

  private static final Duration JOB_WAIT = Duration.ofSeconds(120);

  @Test
  void aFailedStepsLogOpensOnTheRunPage() throws Exception {
    writeProject(
        "failing",
        """
        { "name": "failing",
          "steps": [
            { "id": "prep", "file": "prep.sh", "environment": "busybox" },
            { "id": "fit", "file": "fit.sh", "environment": "busybox", "dependsOn": ["prep"] } ] }
        """,
        Map.of(
            "prep.sh", "echo preparing\n",
            "fit.sh", "echo '<b>x</b>'\necho 'about to fail'\nexit 3\n"));
    String job =
        submit(
            "{\"name\": \"fails\", \"project\": \"failing\", \"pipeline\": \"p.pipeline.json\"}");
    awaitJob(job, "FAILURE");
    String run = firstRun(job);

    open("/runs/" + run);
    assertThat(browser.getTitle()).isEqualTo("Run " + run + " · gridrun");
    WebElement fit = browser.findElement(By.cssSelector("svg.dag a[data-step='fit']"));
    assertThat(fit.findElement(By.cssSelector("rect")).getAttribute("class"))
        .contains("status-FAILURE");
    assertThat(
            browser.findElements(
                By.cssSelector("svg.dag path.edge[data-from='prep'][data-to='fit']")))
        .hasSize(1);
    fit.click();

    await()
        .atMost(PAGE_WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(browser.getCurrentUrl()).contains("step=fit");
              assertThat(browser.findElement(By.id("step-log")).getText())
                  .contains("<b>x</b>")
                  .contains("about to fail");
            });
    assertThat(browser.findElements(By.cssSelector("#step-log b"))).isEmpty();
    assertThat(browser.findElement(By.cssSelector("#step-fields .exit-code")).getText())
        .isEqualTo("3");
    assertThat(browser.findElement(By.cssSelector("#step-fields .reason")).getText())
        .isEqualTo("exit code 3");
    assertThat(button("Cancel run").isEnabled()).isFalse();

    byLabel("Line timestamps").click();
    await()
        .atMost(PAGE_WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(browser.getCurrentUrl()).contains("timestamps=true");
              assertThat(browser.findElement(By.id("step-log")).getText())
                  .containsPattern("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z about to fail");
            });
    screenshot("timestamps");
  }

  @Test
  void theLiveLogFollowsARunningStepWithoutAReload() throws Exception {
    writeProject(
        "ticking",
        """
        { "name": "ticking",
          "steps": [ { "id": "slow", "file": "slow.sh", "environment": "busybox" } ] }
        """,
        Map.of(
            "slow.sh",
            "for i in 1 2 3 4 5 6; do echo \"tick $i\"; sleep 2; done\necho 'all ticks done'\n"));
    String job =
        submit(
            "{\"name\": \"ticks\", \"project\": \"ticking\", \"pipeline\": \"p.pipeline.json\"}");
    String run =
        await().atMost(JOB_WAIT).ignoreExceptions().until(() -> firstRun(job), id -> id != null);
    await().atMost(JOB_WAIT).until(() -> "STARTED".equals(stepStatus(run, "slow")));

    open("/runs/" + run + "?step=slow");
    ((JavascriptExecutor) browser).executeScript("window.stillTheSamePage = true;");

    await()
        .atMost(PAGE_WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> assertThat(browser.findElement(By.id("step-log")).getText()).contains("tick 1"));
    screenshot("following");
    await()
        .atMost(JOB_WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(browser.findElement(By.id("step-log")).getText())
                  .contains("tick 5")
                  .contains("all ticks done");
              assertThat(
                      browser
                          .findElement(By.cssSelector("svg.dag a[data-step='slow'] rect"))
                          .getAttribute("class"))
                  .contains("status-SUCCESS");
            });
    assertThat(((JavascriptExecutor) browser).executeScript("return window.stillTheSamePage"))
        .as("the page was not reloaded")
        .isEqualTo(true);
    screenshot("followed");
  }

  /**
   * htmx reopens a refused event stream without Last-Event-ID, so the events it missed are not
   * replayed: the page must catch up when the stream opens. The test holds every stream the
   * browser's session may open from its address (the gateway's per-client limit), so the Run page's
   * stream is refused (429) while its step ends; once they are closed, the page's next attempt gets
   * through.
   */
  @Test
  void theRunPageCatchesUpWhenItsEventStreamOpensLate() throws Exception {
    writeProject(
        "late-stream",
        """
        { "name": "late-stream",
          "steps": [ { "id": "nap", "file": "nap.sh", "environment": "busybox" } ] }
        """,
        // the step ends when the test says so (a file in the shared data directory), not on a timer
        Map.of(
            "nap.sh",
            "echo napping\n"
                + "while [ ! -f \"$GRIDRUN_DATA/late-stream.go\" ]; do sleep 0.5; done\n"
                + "echo woke\n"));
    String job =
        submit(
            "{\"name\": \"late\", \"project\": \"late-stream\", \"pipeline\": \"p.pipeline.json\"}");
    String run =
        await().atMost(JOB_WAIT).ignoreExceptions().until(() -> firstRun(job), id -> id != null);
    await().atMost(JOB_WAIT).until(() -> "STARTED".equals(stepStatus(run, "nap")));

    open("/environments"); // a page without a stream of its own
    // the browser's session, from the same address: the same client to the gateway's limit
    String cookies =
        browser.manage().getCookies().stream()
            .map(c -> c.getName() + "=" + c.getValue())
            .collect(Collectors.joining("; "));
    List<InputStream> held = new ArrayList<>();
    try {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      while (held.size() < 64) {
        HttpResponse<InputStream> stream =
            http.send(
                HttpRequest.newBuilder(URI.create(url("/api/v1/events")))
                    .header("Cookie", cookies)
                    .header("Accept", "text/event-stream")
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (stream.statusCode() == 429) {
          stream.body().close();
          break;
        }
        assertThat(stream.statusCode()).isEqualTo(200);
        held.add(stream.body());
      }
      assertThat(held).as("streams held until the gateway refused one").hasSizeBetween(1, 63);

      open("/runs/" + run);
      ((JavascriptExecutor) browser).executeScript("window.stillTheSamePage = true;");
      assertThat(dagBox("nap")).contains("status-STARTED");
      Files.writeString(stack.settings().dataDir().resolve("late-stream.go"), "go");
      await().atMost(JOB_WAIT).until(() -> "SUCCESS".equals(stepStatus(run, "nap")));
      assertThat(dagBox("nap")).as("no event reached the page").contains("status-STARTED");
    } finally {
      for (InputStream stream : held) {
        stream.close();
      }
    }

    await()
        .atMost(Duration.ofSeconds(90))
        .ignoreExceptions()
        .untilAsserted(() -> assertThat(dagBox("nap")).contains("status-SUCCESS"));
    assertThat(((JavascriptExecutor) browser).executeScript("return window.stillTheSamePage"))
        .as("the page was not reloaded")
        .isEqualTo(true);
    screenshot("caught-up");
  }

  private String dagBox(String step) {
    return browser
        .findElement(By.cssSelector("svg.dag a[data-step='" + step + "'] rect"))
        .getAttribute("class");
  }

  @Test
  void anEnvironmentIsRegisteredThroughTheForm() throws Exception {
    open("/environments");
    byLabel("Name").sendKeys("formenv");
    byLabel("Image").sendKeys("gridrun/busybox:test");
    byLabel("Environment variables").sendKeys("MODE=full\nSECRET_TOKEN=hunter2-value");
    byLabel("Network").click();
    button("Save environment").click();

    await()
        .atMost(PAGE_WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(browser.getCurrentUrl()).contains("saved=formenv");
              WebElement row =
                  browser.findElement(By.cssSelector("tr[data-environment='formenv']"));
              assertThat(row.getText())
                  .contains("gridrun/busybox:test", "MODE", "SECRET_TOKEN", "yes");
            });
    assertThat(browser.getPageSource()).doesNotContain("hunter2-value");
    GridrunClient.Answer saved = api.get("/api/v1/environments/formenv");
    assertThat(saved.status()).isEqualTo(200);
    assertThat(saved.json()).containsEntry("network", true);

    // a refused one: the API's problem beside the form, what was typed kept
    byLabel("Name").sendKeys("noimage");
    button("Save environment").click();
    await()
        .atMost(PAGE_WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(browser.findElement(By.cssSelector(".problem")).getText())
                  .contains("image");
              assertThat(byLabel("Name").getAttribute("value")).isEqualTo("noimage");
            });
    screenshot("refused");
  }

  @Test
  void aProjectUploadedThroughTheFormIsBrowsableInItsJobsSnapshot() throws Exception {
    Path source = Files.createTempDirectory("upload-src");
    Files.writeString(
        source.resolve("up.pipeline.json"),
        """
        { "name": "up", "steps": [ { "id": "hello", "file": "hello.sh", "environment": "busybox" } ] }
        """);
    Files.writeString(source.resolve("hello.sh"), "echo '<b>x</b>' from the upload\n");
    Files.createDirectories(source.resolve("notes"));
    Files.writeString(source.resolve("notes/readme.txt"), "read me\n");
    Path archive = Files.createTempFile("upload", ".tar.gz");
    Process tar =
        new ProcessBuilder("tar", "czf", archive.toString(), "-C", source.toString(), ".")
            .inheritIO()
            .start();
    assertThat(tar.waitFor()).isZero();

    open("/projects");
    byLabel("Project name").sendKeys("uploaded");
    byLabel("Archive (.tar.gz)").sendKeys(archive.toAbsolutePath().toString());
    button("Upload project").click();

    await()
        .atMost(PAGE_WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(browser.getCurrentUrl()).contains("uploaded=uploaded");
              assertThat(
                      browser.findElement(By.cssSelector("tr[data-project='uploaded']")).getText())
                  .contains("up.pipeline.json");
            });
    screenshot("uploaded");

    String job =
        submit(
            "{\"name\": \"from-upload\", \"project\": \"uploaded\", \"pipeline\": \"up.pipeline.json\"}");
    awaitJob(job, "SUCCESS");
    open("/runs/" + firstRun(job));
    String snapshot = (String) api.get("/api/v1/jobs/" + job).json().get("snapshotId");
    browser.findElement(By.linkText(snapshot)).click();

    await()
        .atMost(PAGE_WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(browser.getCurrentUrl()).endsWith("/snapshots/" + snapshot);
              assertThat(browser.findElement(By.id("files")).getText())
                  .contains("hello.sh", "notes/readme.txt", "up.pipeline.json");
            });
    browser.findElement(By.linkText("hello.sh")).click();
    await()
        .atMost(PAGE_WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(browser.findElement(By.id("file-content")).getText())
                    .isEqualTo("echo '<b>x</b>' from the upload"));
    assertThat(browser.findElements(By.cssSelector("#file-content b"))).isEmpty();
  }

  private void writeProject(String name, String pipeline, Map<String, String> files)
      throws Exception {
    Path dir = stack.settings().projectsRoot().resolve(name);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("p.pipeline.json"), pipeline);
    for (Map.Entry<String, String> file : files.entrySet()) {
      Files.writeString(dir.resolve(file.getKey()), file.getValue());
    }
  }

  private void awaitJob(String job, String status) {
    await()
        .atMost(JOB_WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> status.equals(api.get("/api/v1/jobs/" + job).json().get("status")));
  }

  @SuppressWarnings("unchecked")
  private String firstRun(String job) throws Exception {
    List<Map<String, Object>> runs =
        (List<Map<String, Object>>) api.get("/api/v1/jobs/" + job + "/runs").json().get("items");
    return runs.isEmpty() ? null : (String) runs.get(0).get("id");
  }

  @SuppressWarnings("unchecked")
  private String stepStatus(String run, String step) throws Exception {
    List<Map<String, Object>> steps =
        (List<Map<String, Object>>) api.get("/api/v1/runs/" + run).json().get("steps");
    return steps.stream()
        .filter(s -> step.equals(s.get("id")))
        .map(s -> (String) s.get("status"))
        .findFirst()
        .orElse(null);
  }
}
