package io.gridrun.local.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The web UI in a real browser on the whole local stack: the Jobs page, the New job form (grid,
 * selection, inline JSON errors), the Job page following a job live, its buttons and its results.
 */
class WebUiBrowserTest extends BrowserTestBase {

  private static final Duration JOB_WAIT = Duration.ofSeconds(180);

  @BeforeAll
  void projects() throws Exception {
    writeGridProject("grid", 0);
    writeGridProject("slow", 120);
  }

  @Test
  void aGridJobMadeInTheFormWithOneRowUntickedRunsItsFiveRunsToSuccessLive() throws Exception {
    open("/jobs");
    button("+ New job").click();
    await().atMost(PAGE_WAIT).until(() -> browser.getCurrentUrl().endsWith("/jobs/new"));
    byLabel("Job name").sendKeys("ui-grid");
    choose("Project", "grid");
    choose("Pipeline", "grid.pipeline.json");
    type("alpha", "[1, 2]");
    type("fit.depth", "[1, 2, 3]");
    awaitText(By.id("runs-count"), "6 of 6 runs selected");
    // the table is redrawn on each keystroke's preview: a redraw may land between two lookups
    await()
        .atMost(PAGE_WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(
                      browser.findElements(By.cssSelector(".runs-table thead th")).stream()
                          .map(WebElement::getText)
                          .toList())
                  .containsExactly("Include", "Index", "alpha", "fit.depth");
              assertThat(browser.findElements(By.cssSelector(".runs-table tbody tr"))).hasSize(6);
            });
    screenshot("grid-6");

    retrying(() -> checkbox("Include run 4").click());
    awaitText(By.id("runs-count"), "5 of 6 runs selected");
    assertThat(checkbox("Include run 4").isSelected()).isFalse();
    screenshot("grid-5");
    button("Run job").click();

    await().atMost(PAGE_WAIT).until(() -> browser.getCurrentUrl().matches(".*/jobs/j-[^/?]+$"));
    String id = browser.getCurrentUrl().replaceFirst(".*/jobs/", "");
    // the page follows the job over server-sent events: no reload from here on
    ((org.openqa.selenium.JavascriptExecutor) browser)
        .executeScript("document.body.setAttribute('data-not-reloaded', 'yes')");
    await()
        .atMost(JOB_WAIT)
        .ignoreExceptions()
        .until(() -> browser.findElement(By.id("job-status")).getText().equals("SUCCESS"));
    assertThat(browser.findElement(By.tagName("body")).getAttribute("data-not-reloaded"))
        .isEqualTo("yes");
    await()
        .atMost(PAGE_WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(browser.findElements(By.cssSelector("#runs-panel tr.run-row")))
                    .hasSize(5)
                    .allSatisfy(row -> assertThat(row.getText()).contains("SUCCESS")));
    screenshot("succeeded");
    Map<String, Object> job = api.get("/api/v1/jobs/" + id).json();
    assertThat(job).containsEntry("name", "ui-grid").containsEntry("runCount", 5);
    // a late live refresh may swap the runs panel between two lookups: read it again then
    await()
        .atMost(PAGE_WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(
                        browser.findElements(By.cssSelector("#runs-panel tr.run-row")).stream()
                            .map(row -> row.findElement(By.cssSelector("td.params")).getText())
                            .toList())
                    .hasSize(5)
                    .doesNotContain("alpha=2, fit.depth=2"));
  }

  @Test
  void aBadJsonValueIsMarkedInlineAndNothingIsSubmitted() throws Exception {
    open("/jobs/new?project=grid&pipeline=grid.pipeline.json");
    byLabel("Job name").sendKeys("bad-json-job");
    type("alpha", "[1, 2");

    WebElement message =
        await()
            .atMost(PAGE_WAIT)
            .ignoreExceptions()
            .until(
                () -> browser.findElement(By.id(byLabel("alpha").getAttribute("aria-describedby"))),
                e -> e.getText().startsWith("not valid JSON"));
    assertThat(byLabel("alpha").getAttribute("aria-invalid")).isEqualTo("true");
    screenshot("marked");
    String shown = message.getText();
    button("Run job").click();

    await()
        .atMost(PAGE_WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(browser.findElement(By.cssSelector(".problem")).getText())
                  .contains("nothing was sent");
              assertThat(byLabel("alpha").getAttribute("value")).isEqualTo("[1, 2");
              assertThat(byLabel("Job name").getAttribute("value")).isEqualTo("bad-json-job");
              assertThat(
                      browser
                          .findElement(By.id(byLabel("alpha").getAttribute("aria-describedby")))
                          .getText())
                  .isEqualTo(shown);
            });
    assertThat(api.get("/api/v1/jobs?q=bad-json-job").json().get("total")).isEqualTo(0);
  }

  @Test
  void aLongJobIsCancelledFromItsPage() throws Exception {
    String id =
        submit(
            "{\"name\": \"long-job\", \"project\": \"slow\", \"pipeline\": \"grid.pipeline.json\"}");
    open("/jobs/" + id);
    await()
        .atMost(JOB_WAIT)
        .ignoreExceptions()
        .until(() -> browser.findElement(By.id("job-status")).getText().equals("STARTED"));
    retrying(() -> assertThat(button("Cancel").isEnabled()).isTrue());

    // the running job's header is refreshed as its runs go on: find and click it in one go
    retrying(() -> button("Cancel").click());

    await()
        .atMost(JOB_WAIT)
        .ignoreExceptions()
        .until(() -> browser.findElement(By.id("job-status")).getText().equals("ABORTED"));
    retrying(() -> assertThat(button("Cancel").isEnabled()).isFalse());
    assertThat(api.get("/api/v1/jobs/" + id).json()).containsEntry("status", "ABORTED");
  }

  @Test
  void theResultsAreSortedByAMetricWithTheBestRunMarked() throws Exception {
    String id =
        submit(
            "{\"name\": \"sorted\", \"project\": \"grid\", \"pipeline\": \"grid.pipeline.json\","
                + " \"grid\": {\"pipeline\": {\"alpha\": [3, 1, 2]},"
                + " \"steps\": {\"fit\": {\"depth\": [2, 1]}}}}");
    await()
        .atMost(JOB_WAIT)
        .until(() -> "SUCCESS".equals(api.get("/api/v1/jobs/" + id).json().get("status")));
    open("/jobs/" + id + "?tab=results");

    button("fit.loss").click();
    await().atMost(PAGE_WAIT).until(() -> browser.getCurrentUrl().contains("sort=fit.loss"));
    assertThat(losses()).containsExactly("1", "2", "2", "3", "4", "6");
    assertThat(browser.findElements(By.cssSelector("td.best")))
        .anySatisfy(cell -> assertThat(cell.getText()).startsWith("1"));

    // the header now links to the descending order (followed by URL: a click on this chart-heavy
    // page timed out in chromedriver once on a loaded machine)
    String descending = button("fit.loss").getAttribute("href");
    assertThat(descending).contains("sort=fit.loss").contains("order=desc");
    browser.get(descending);
    assertThat(losses()).containsExactly("6", "4", "3", "2", "2", "1");
    assertThat(browser.findElement(By.linkText("Download CSV")).getAttribute("href"))
        .contains("/api/v1/jobs/" + id + "/results.csv");
    await()
        .atMost(PAGE_WAIT)
        .ignoreExceptions()
        .until(() -> !browser.findElements(By.cssSelector("#scatter canvas")).isEmpty());
    screenshot("charts");
  }

  @Test
  void aJobNamedLikeAScriptShowsAsTextOnTheJobsPage() throws Exception {
    String id =
        submit(
            "{\"name\": \"<script>alert(1)</script>\", \"project\": \"grid\","
                + " \"pipeline\": \"grid.pipeline.json\"}");

    open("/jobs?q=script");

    // read in one go: a status event may refresh the table between finding the link and reading it
    String linkText =
        await()
            .atMost(PAGE_WAIT)
            .ignoreExceptions()
            .until(
                () -> browser.findElement(By.cssSelector("a[href='/jobs/" + id + "']")).getText(),
                text -> text != null);
    assertThat(linkText).isEqualTo("<script>alert(1)</script>");
    assertThat(alertOpen()).as("a script ran").isFalse();
    // the table may be refreshed by a status event meanwhile: find the link again to click it
    retrying(() -> browser.findElement(By.cssSelector("a[href='/jobs/" + id + "']")).click());
    await()
        .atMost(PAGE_WAIT)
        .ignoreExceptions()
        .until(() -> browser.findElement(By.tagName("h1")).getText().contains("<script>"));
    assertThat(alertOpen()).as("a script ran").isFalse();
  }

  @Test
  void theSearchBoxFiltersTheJobsAndIsInTheUrl() throws Exception {
    String id =
        submit(
            "{\"name\": \"findable-job\", \"project\": \"grid\", \"pipeline\": \"grid.pipeline.json\"}");
    open("/jobs");

    byLabel("Search jobs").sendKeys("findable");

    await()
        .atMost(PAGE_WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(browser.getCurrentUrl()).contains("q=findable");
              assertThat(browser.findElements(By.cssSelector("#jobs-table tbody tr")))
                  .singleElement()
                  .satisfies(row -> assertThat(row.getText()).contains("findable-job"));
            });
    assertThat(browser.findElement(By.cssSelector("a[href='/jobs/" + id + "']"))).isNotNull();
    screenshot("searched");

    // another job's status events refresh the table live; the refresh keeps the search
    WebElement searched = browser.findElement(By.id("jobs-table"));
    submit(
        "{\"name\": \"unrelated-job\", \"project\": \"grid\", \"pipeline\": \"grid.pipeline.json\"}");
    await().atMost(PAGE_WAIT).until(() -> ExpectedConditions.stalenessOf(searched).apply(browser));
    // the unrelated job's later events refresh the table again: rows are found and read in one go
    retrying(
        () ->
            assertThat(browser.findElements(By.cssSelector("#jobs-table tbody tr")))
                .singleElement()
                .satisfies(row -> assertThat(row.getText()).contains("findable-job")));
  }

  private List<String> losses() {
    int column =
        browser.findElements(By.cssSelector(".results-table thead th")).stream()
            .map(WebElement::getText)
            .toList()
            .indexOf("fit.loss");
    return browser.findElements(By.cssSelector(".results-table tbody tr")).stream()
        .map(row -> row.findElements(By.tagName("td")).get(column).getText().replace(" ★", ""))
        .toList();
  }

  private boolean alertOpen() {
    try {
      browser.switchTo().alert();
      return true;
    } catch (NoAlertPresentException e) {
      return false;
    }
  }
}
