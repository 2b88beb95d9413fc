package io.gridrun.local.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gridrun.local.GridrunClient;
import io.gridrun.local.LocalStack;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.events.EventFiringDecorator;
import org.openqa.selenium.support.events.WebDriverListener;
import org.openqa.selenium.support.ui.Select;

/**
 * Browser tests of the web UI: the whole local stack (steps run as local processes) and Debian's
 * headless chromium driven by Selenium through {@code /usr/bin/chromedriver}, so nothing is
 * downloaded; one stack and one browser, signed in once by visiting {@code
 * /login?token=<$GRIDRUN_HOME/token>}, serve every browser test class of the test JVM ({@link
 * SharedBrowser}): each class names its jobs, projects and environments itself. Every page a class
 * visits is saved as a screenshot under {@code target/screenshots/<test class>/}. Run with {@code
 * -Pbrowser} (classes named {@code *BrowserTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BrowserTestBase {

  static final Duration PAGE_WAIT = Duration.ofSeconds(30);

  private static SharedBrowser shared;

  /** The shared stack and browser, started by the first browser test class of the JVM. */
  @RegisterExtension
  static final BeforeAllCallback SHARED = context -> shared = SharedBrowser.in(context);

  protected LocalStack stack;
  protected GridrunClient api;
  protected WebDriver browser;
  private ChromeDriver chrome;
  private Path screenshots;
  private String test = "setup";
  private final AtomicInteger shots = new AtomicInteger();
  private String lastShotUrl = "";

  @BeforeAll
  void useTheSharedStackAndBrowser() throws Exception {
    stack = shared.stack();
    api = stack.client();
    screenshots = Path.of("target", "screenshots", getClass().getSimpleName());
    Files.createDirectories(screenshots);
    chrome = shared.chrome();
    browser = new EventFiringDecorator<WebDriver>(new Screenshots()).decorate(chrome);
  }

  @BeforeEach
  void name(TestInfo info) {
    test = info.getTestMethod().map(Method::getName).orElse("test");
  }

  @AfterEach
  void lastShot() {
    screenshot("end");
  }

  /**
   * Writes project {@code name} into the projects root: {@code grid.pipeline.json} of steps that
   * each sleep {@code sleep} seconds, and {@code fit}, which reports metric {@code loss} = alpha ×
   * depth and fails for {@code alpha} "fail". Parameters: {@code alpha} (pipeline, default 1) and
   * {@code fit.depth} (default 1).
   */
  protected void writeGridProject(String name, int sleep) throws IOException {
    Path dir = stack.settings().projectsRoot().resolve(name);
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("grid.pipeline.json"),
        """
        { "name": "grid",
          "parameters": { "alpha": 1 },
          "steps": [
            { "id": "prep", "file": "prep.sh", "environment": "busybox" },
            { "id": "fit", "file": "fit.sh", "environment": "busybox", "dependsOn": ["prep"],
              "parameters": { "depth": 1 } } ] }
        """);
    Files.writeString(
        dir.resolve("prep.sh"), "echo prep alpha=$GRIDRUN_PARAM_ALPHA\nsleep " + sleep + "\n");
    Files.writeString(
        dir.resolve("fit.sh"),
        """
        set -eu
        echo "fit alpha=$GRIDRUN_PARAM_ALPHA depth=$GRIDRUN_PARAM_DEPTH"
        if [ "$GRIDRUN_PARAM_ALPHA" = "fail" ]; then echo "failing on purpose" >&2; exit 3; fi
        loss=$(awk "BEGIN { print $GRIDRUN_PARAM_ALPHA * $GRIDRUN_PARAM_DEPTH }")
        echo "{\\"loss\\": $loss}" > "$GRIDRUN_METRICS_FILE"
        """);
  }

  /** Submits a job through the API; its id. */
  protected String submit(String json) throws Exception {
    GridrunClient.Answer created = api.post("/api/v1/jobs", json);
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    return (String) created.json().get("id");
  }

  /** The address of a UI page on the stack's gateway. */
  protected String url(String path) {
    return stack.gatewayUrl() + path;
  }

  /** Opens a page (and saves its screenshot). */
  protected void open(String path) {
    browser.get(url(path));
  }

  protected WebElement byLabel(String label) {
    return browser.findElement(
        By.xpath("//*[@id=//label[normalize-space(.)='" + label + "']/@for]"));
  }

  protected WebElement button(String text) {
    return browser.findElement(
        By.xpath(
            "//button[normalize-space(.)='"
                + text
                + "'] | //a[normalize-space(.)='"
                + text
                + "']"));
  }

  /** Saves what the browser shows as {@code target/screenshots/<class>/<n>-<test>-<what>.png}. */
  protected void screenshot(String what) {
    if (chrome == null) {
      return;
    }
    try {
      File shot = ((TakesScreenshot) chrome).getScreenshotAs(OutputType.FILE);
      String name =
          String.format("%03d-%s-%s.png", shots.incrementAndGet(), test, what)
              .replaceAll("[^A-Za-z0-9._-]", "_");
      Files.copy(shot.toPath(), screenshots.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      lastShotUrl = chrome.getCurrentUrl();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      // a screenshot is a record of the test, never its outcome (e.g. an alert is open)
    }
  }

  /**
   * A screenshot of each page the browser arrives at: after every get and every navigating click.
   */
  public final class Screenshots implements WebDriverListener {
    @Override
    public void afterGet(WebDriver driver, String url) {
      screenshot(path(url));
    }

    @Override
    public void afterClick(WebElement element) {
      String now = chrome.getCurrentUrl();
      if (!now.equals(lastShotUrl)) {
        screenshot(path(now));
      }
    }

    private String path(String url) {
      String p = url.replaceFirst("^https?://[^/]+", "");
      return p.length() > 60 ? p.substring(0, 60) : p;
    }
  }

  protected void choose(String label, String option) {
    await()
        .atMost(PAGE_WAIT)
        .ignoreExceptions()
        .untilAsserted(() -> new Select(byLabel(label)).selectByVisibleText(option));
    await()
        .atMost(PAGE_WAIT)
        .ignoreExceptions()
        .until(() -> new Select(byLabel(label)).getFirstSelectedOption().getText().equals(option));
  }

  /** Replaces the text of the field labelled {@code label}, once it is there. */
  protected void type(String label, String text) {
    WebElement field =
        await().atMost(PAGE_WAIT).ignoreExceptions().until(() -> byLabel(label), e -> e != null);
    field.clear();
    field.sendKeys(text);
  }

  protected WebElement checkbox(String accessibleName) {
    return browser.findElement(By.cssSelector("input[aria-label='" + accessibleName + "']"));
  }

  protected void awaitText(By by, String text) {
    await()
        .atMost(PAGE_WAIT)
        .ignoreExceptions()
        .until(() -> browser.findElement(by).getText().equals(text));
  }

  protected static void retrying(Runnable action) {
    await().atMost(PAGE_WAIT).ignoreExceptions().untilAsserted(action::run);
  }
}
