package io.gridrun.local.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/** The Jobs page in a real browser. */
class JobsPageBrowserTest extends BrowserTestBase {

  @BeforeAll
  void project() throws Exception {
    writeGridProject("demo", 0);
  }

  @Test
  void aJobNamedLikeAScriptShowsAsTextAndRunsNothing() throws Exception {
    String name = "<script>alert(1)</script>";
    String id =
        submit(
            "{\"name\": \"<script>alert(1)</script>\", \"project\": \"demo\","
                + " \"pipeline\": \"grid.pipeline.json\"}");

    open("/jobs");

    WebElement link =
        await()
            .atMost(PAGE_WAIT)
            .ignoreExceptions()
            .until(
                () -> browser.findElement(By.cssSelector("a[href='/jobs/" + id + "']")),
                e -> e != null);
    assertThat(link.getText()).isEqualTo(name);
    assertThat(alertOpen()).as("a script ran").isFalse();
    assertThat(browser.getTitle()).isEqualTo("Jobs · gridrun");
  }

  @Test
  void theSearchBoxAndStatusFilterAreInTheUrl() throws Exception {
    String id =
        submit(
            "{\"name\": \"findable-job\", \"project\": \"demo\", \"pipeline\": \"grid.pipeline.json\"}");
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
