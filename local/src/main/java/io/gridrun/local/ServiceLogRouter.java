package io.gridrun.local;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The appender behind {@link ServiceLogs}: one rolling file per part of the stack (10 MB, then
 * renamed {@code <name>.1.log} … {@code <name>.3.log}), created on the part's first event, and
 * optionally the console, each line headed by its part's name.
 */
final class ServiceLogRouter extends UnsynchronizedAppenderBase<ILoggingEvent> {

  static final FileSize MAX_FILE_SIZE = FileSize.valueOf("10MB");
  static final int KEPT_FILES = 3;

  private static final String PATTERN =
      "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n";

  private final Path dir;
  private final PrintStream console;
  private final Map<String, RollingFileAppender<ILoggingEvent>> files = new ConcurrentHashMap<>();
  private PatternLayoutEncoder consoleEncoder;

  /**
   * @param console where to show every event as well; null shows none
   */
  ServiceLogRouter(Path dir, PrintStream console) {
    this.dir = dir;
    this.console = console;
  }

  @Override
  public void start() {
    if (console != null) {
      consoleEncoder = encoder("%d{HH:mm:ss.SSS} %-5level %logger{30} - %msg%n");
    }
    super.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    String part = ServiceLogs.partOf(event.getLoggerName());
    files.computeIfAbsent(part, this::open).doAppend(event);
    if (consoleEncoder != null) {
      byte[] line = consoleEncoder.encode(event);
      synchronized (console) {
        console.print("[" + part + "] ");
        console.print(new String(line, StandardCharsets.UTF_8));
        console.flush();
      }
    }
  }

  private RollingFileAppender<ILoggingEvent> open(String part) {
    String file = ServiceLogs.file(dir, part).toString();
    RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
    appender.setContext(getContext());
    appender.setName(part);
    appender.setFile(file);
    appender.setAppend(true);
    appender.setEncoder(encoder(PATTERN));

    FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
    rolling.setContext(getContext());
    rolling.setParent(appender);
    rolling.setFileNamePattern(dir.resolve(part + ".%i.log").toString());
    rolling.setMinIndex(1);
    rolling.setMaxIndex(KEPT_FILES);
    rolling.start();

    SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
    trigger.setContext(getContext());
    trigger.setMaxFileSize(MAX_FILE_SIZE);
    trigger.start();

    appender.setRollingPolicy(rolling);
    appender.setTriggeringPolicy(trigger);
    appender.start();
    return appender;
  }

  private PatternLayoutEncoder encoder(String pattern) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(getContext());
    encoder.setPattern(pattern);
    encoder.setCharset(StandardCharsets.UTF_8);
    encoder.start();
    return encoder;
  }

  @Override
  public void stop() {
    files.values().forEach(RollingFileAppender::stop);
    super.stop();
  }
}
