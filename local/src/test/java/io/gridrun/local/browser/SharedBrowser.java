package io.gridrun.local.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.local.LocalStack;
import io.gridrun.local.StackSettings;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.springframework.util.FileSystemUtils;

/**
 * The local stack (steps as local processes) and the signed-in headless chromium that every browser
 * test class of a test JVM uses: started by the first class, closed once every test of the JVM has
 * run (JUnit closes what its root store holds). The classes only add jobs, projects and
 * environments of their own names, so none needs a fresh stack; sharing saves a stack's and a
 * browser's start per class (about 20 s each on a loaded 2-core machine).
 */
final class SharedBrowser implements AutoCloseable {

  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SharedBrowser.class);

  private final Path home;
  private LocalStack stack;
  private ChromeDriver chrome;

  private SharedBrowser(Path home) {
    this.home = home;
  }

  /** The shared stack and browser, started on first use in this test JVM. */
  static SharedBrowser in(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .computeIfAbsent(SharedBrowser.class, type -> start(), SharedBrowser.class);
  }

  private static SharedBrowser start() {
    assertThat(Path.of(CHROMIUM)).as("chromium (scripts/browser-setup.sh)").isExecutable();
    assertThat(Path.of(CHROMEDRIVER))
        .as("chromium-driver (scripts/browser-setup.sh)")
        .isExecutable();
    SharedBrowser shared;
    try {
      shared = new SharedBrowser(Files.createTempDirectory("gridrun-browser"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      shared.startStackAndBrowser();
      return shared;
    } catch (Exception e) {
      shared.close();
      throw new IllegalStateException("the browser tests' stack or browser did not start", e);
    }
  }

  private void startStackAndBrowser() throws Exception {
    stack =
        LocalStack.start(
            new StackSettings(
                home, home.resolve("projects"), home.resolve("data"), 0, 0, false, false));
    assertThat(
            stack
                .client()
                .put("/api/v1/environments/busybox", "{\"image\": \"gridrun/busybox:test\"}")
                .status())
        .isEqualTo(200);
    chrome = new ChromeDriver(driverService(), options(home.resolve("chromium-profile")));
    chrome.manage().window().setSize(new Dimension(1280, 800));
    // signed in once with the stack's admin token, when the stack wrote one
    Path tokenFile = home.resolve("token");
    String token = Files.exists(tokenFile) ? Files.readString(tokenFile).trim() : "";
    chrome.get(
        stack.gatewayUrl() + "/login?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
  }

  LocalStack stack() {
    return stack;
  }

  ChromeDriver chrome() {
    return chrome;
  }

  private static ChromeDriverService driverService() {
    return new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER))
        .usingAnyFreePort()
        .build();
  }

  private static ChromeOptions options(Path profile) throws IOException {
    Files.createDirectories(profile);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,800",
        "--user-data-dir=" + profile.toAbsolutePath());
    return options;
  }

  @Override
  public void close() {
    try {
      if (chrome != null) {
        chrome.quit();
      }
    } finally {
      try {
        if (stack != null) {
          stack.close();
        }
      } finally {
        try {
          FileSystemUtils.deleteRecursively(home);
        } catch (IOException e) {
          System.err.println("browser tests: could not remove " + home + ": " + e);
        }
      }
    }
  }
}
