package io.gridrun.local.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The UI used with the keyboard alone (Tab, typing, Space, Enter: no mouse, no script); a grid of
 * more than 1 000 combinations, paged in the New job form and still selectable row by row; the
 * Results tab filling in live.
 */
class MoreWebUiBrowserTest extends BrowserTestBase {

  private static final Duration JOB_WAIT = Duration.ofSeconds(180);
  private static final int MAX_TABS = 80;

  @BeforeAll
  void projects() throws Exception {
    writeGridProject("grid", 0);
    writeGridProject("steady", 2);
  }

  @Test
  void theResultsTabAndItsChartsFillInLiveAsRunsFinish() throws Exception {
    String id =
        submit(
            "{\"name\": \"live-results\", \"project\": \"steady\","
                + " \"pipeline\": \"grid.pipeline.json\", \"maxParallelRuns\": 1,"
                + " \"grid\": {\"pipeline\": {\"alpha\": [1, 2, 3]},"
                + " \"steps\": {\"fit\": {\"depth\": [1, 2]}}}}");
    open("/jobs/" + id + "?tab=results");
    ((org.openqa.selenium.JavascriptExecutor) browser)
        .executeScript("document.body.setAttribute('data-not-reloaded', 'yes')");
    assertThat(succeededResultRows()).isLessThan(6);

    await()
        .atMost(JOB_WAIT)
        .ignoreExceptions()
        .until(
            () ->
                succeededResultRows() == 6
                    && browser.findElement(By.id("job-status")).getText().equals("SUCCESS"));
    assertThat(browser.findElement(By.tagName("body")).getAttribute("data-not-reloaded"))
        .isEqualTo("yes");
    await()
        .atMost(PAGE_WAIT)
        .ignoreExceptions()
        .until(() -> !browser.findElements(By.cssSelector("#scatter canvas")).isEmpty());
    // a chart choice is kept in the address, so the live refresh and a bookmark keep it too
    choose("Colour by", "alpha");
    await().atMost(PAGE_WAIT).until(() -> browser.getCurrentUrl().contains("color=alpha"));
    // a live refresh whose request left before the choice (its address without it) keeps it
    ((org.openqa.selenium.JavascriptExecutor) browser)
        .executeScript(
            "document.body.removeAttribute('data-refreshed');"
                + "document.addEventListener('htmx:afterSettle', function (e) {"
                + "  if (e.target.id === 'results-panel') {"
                + "    document.body.setAttribute('data-refreshed', 'yes'); } });"
                + "htmx.ajax('GET', arguments[0], {source: '#job-refresh'});",
            "/jobs/" + id + "?tab=results");
    await()
        .atMost(PAGE_WAIT)
        .until(
            () ->
                "yes"
                    .equals(
                        browser.findElement(By.tagName("body")).getAttribute("data-refreshed")));
    assertThat(browser.getCurrentUrl()).contains("color=alpha");
    // read again if a later refresh (the settled one, a second after the last run's status)
    // replaces the panel between finding the select and reading its option
    String colour =
        await()
            .atMost(PAGE_WAIT)
            .ignoreException(org.openqa.selenium.StaleElementReferenceException.class)
            .until(
                () -> new Select(byLabel("Colour by")).getFirstSelectedOption().getText(),
                t -> true);
    assertThat(colour).isEqualTo("alpha");
    screenshot("live-results");
  }

  @Test
  void aJobIsMadeWatchedAndItsStepOpenedWithTheKeyboardAlone() {
    open("/jobs");
    tabTo(named("+ New job"));
    keys(Keys.ENTER);
    await().atMost(PAGE_WAIT).until(() -> browser.getCurrentUrl().contains("/jobs/new"));

    tabTo(named("Job name"));
    keys("by-keyboard");
    // a select is chosen by typing the start of an option's text, as a keyboard user does
    tabTo(named("Project"));
    keys("grid");
    await()
        .atMost(PAGE_WAIT)
        .ignoreExceptions()
        .until(() -> byLabel("Pipeline").getText().contains("grid.pipeline.json"));
    tabTo(named("Pipeline"));
    keys("grid.pipeline.json");
    await()
        .atMost(PAGE_WAIT)
        .until(
            () -> !browser.findElements(By.xpath("//label[normalize-space(.)='alpha']")).isEmpty());
    tabTo(named("alpha"));
    replaceFocusedWith("[1, 2]");
    tabTo(named("fit.depth"));
    replaceFocusedWith("[1, 2, 3]");
    awaitText(By.id("runs-count"), "6 of 6 runs selected");
    tabTo(named("Include run 4"));
    keys(Keys.SPACE);
    awaitText(By.id("runs-count"), "5 of 6 runs selected");
    screenshot("form-filled");
    tabTo(named("Run job"));
    keys(Keys.ENTER);

    await().atMost(PAGE_WAIT).until(() -> browser.getCurrentUrl().matches(".*/jobs/j-[^/?]+$"));
    await()
        .atMost(JOB_WAIT)
        .ignoreExceptions()
        .until(() -> browser.findElement(By.id("job-status")).getText().equals("SUCCESS"));
    await()
        .atMost(PAGE_WAIT)
        .ignoreExceptions()
        .until(() -> browser.findElements(By.cssSelector("#runs-panel tr.run-row")).size() == 5);

    tabTo(f -> "a".equals(f.tag()) && f.text().equals("0"));
    keys(Keys.ENTER);
    await().atMost(PAGE_WAIT).until(() -> browser.getCurrentUrl().contains("/runs/"));
    tabTo(f -> "fit".equals(f.step()));
    keys(Keys.ENTER);
    await()
        .atMost(PAGE_WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(browser.getCurrentUrl()).contains("step=fit");
              assertThat(browser.findElement(By.id("step-log")).getText())
                  .contains("fit alpha=1 depth=1");
            });
    screenshot("step-opened");
  }

  @Test
  void aGridOfMoreThanAThousandCombinationsIsPagedAndEachRowStaysSelectable() throws Exception {
    open("/jobs/new?project=grid&pipeline=grid.pipeline.json");
    byLabel("Job name").sendKeys("large-grid");
    type("alpha", list(40));
    type("fit.depth", list(30));
    awaitText(By.id("runs-count"), "1200 of 1200 runs selected");
    assertThat(browser.findElements(By.cssSelector(".runs-table tbody tr")))
        .hasSizeLessThanOrEqualTo(1000);

    retrying(() -> button("Next runs").click());
    retrying(() -> checkbox("Include run 1100").click());
    awaitText(By.id("runs-count"), "1199 of 1200 runs selected");
    retrying(() -> button("Previous runs").click());
    retrying(() -> checkbox("Include run 3").click());
    awaitText(By.id("runs-count"), "1198 of 1200 runs selected");
    retrying(() -> button("Next runs").click());
    retrying(() -> assertThat(checkbox("Include run 1100").isSelected()).isFalse());
    screenshot("large-grid");

    // scheduled far ahead, so that nothing runs: the job's selection is what counts here
    browser.findElement(By.id("schedule-cron")).click();
    type("Cron expression", "0 0 1 1 *");
    button("Run job").click();
    await().atMost(PAGE_WAIT).until(() -> browser.getCurrentUrl().matches(".*/jobs/j-[^/?]+$"));
    String id = browser.getCurrentUrl().replaceFirst(".*/jobs/", "");
    Map<String, Object> job = api.get("/api/v1/jobs/" + id).json();
    @SuppressWarnings("unchecked")
    List<Number> runs =
        (List<Number>) ((Map<String, Object>) options(job).get("selection")).get("runs");
    assertThat(runs).hasSize(1198);
    assertThat(runs.stream().map(Number::longValue)).doesNotContain(3L, 1100L).contains(1199L);
    assertThat(api.delete("/api/v1/jobs/" + id).status()).isLessThan(300);
  }

  private long succeededResultRows() {
    // counted in the page in one go: the live refresh may swap the table between two lookups
    Object count =
        ((org.openqa.selenium.JavascriptExecutor) browser)
            .executeScript(
                "return Array.from(document.querySelectorAll('.results-table tbody tr'))"
                    + ".filter(r => r.textContent.includes('SUCCESS')).length");
    return ((Number) count).longValue();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> options(Map<String, Object> job) {
    return (Map<String, Object>) job.get("options");
  }

  private static String list(int n) {
    return IntStream.rangeClosed(1, n)
        .mapToObj(Integer::toString)
        .collect(Collectors.joining(", ", "[", "]"));
  }

  /** The focused element as a keyboard user meets it, read in the page in one go. */
  record Focus(String name, String tag, String text, String step) {}

  private static final String FOCUS_SCRIPT =
      """
      const e = document.activeElement;
      if (!e) { return ['', '', '', '']; }
      let name = e.getAttribute('aria-label') || '';
      if (!name && e.id) {
        const label = document.querySelector('label[for="' + CSS.escape(e.id) + '"]');
        if (label) { name = label.textContent.trim(); }
      }
      const text = (e.textContent || '').trim();
      return [name || text, e.tagName.toLowerCase(), text, e.getAttribute('data-step') || ''];
      """;

  /**
   * Presses Tab until the focused element matches, reading it in the page in one go (a live refresh
   * may swap what was focused between two lookups); fails naming what focus passed.
   */
  private void tabTo(Predicate<Focus> target) {
    List<String> passed = new ArrayList<>();
    for (int i = 0; i < MAX_TABS; i++) {
      keys(Keys.TAB);
      @SuppressWarnings("unchecked")
      List<String> f =
          (List<String>)
              ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(FOCUS_SCRIPT);
      Focus focus = new Focus(f.get(0), f.get(1), f.get(2), f.get(3));
      if (target.test(focus)) {
        return;
      }
      passed.add(focus.name());
    }
    throw new AssertionError("not reached with Tab; focus passed " + passed);
  }

  private static Predicate<Focus> named(String name) {
    return f -> name.equals(f.name());
  }

  /** Keys sent to whatever has the focus, as a keyboard does. */
  private void keys(CharSequence... keys) {
    new Actions(browser).sendKeys(keys).perform();
  }

  /** Replaces the focused field's text by typing. */
  private void replaceFocusedWith(String text) {
    new Actions(browser)
        .keyDown(Keys.CONTROL)
        .sendKeys("a")
        .keyUp(Keys.CONTROL)
        .sendKeys(Keys.BACK_SPACE)
        .sendKeys(text)
        .perform();
  }
}
