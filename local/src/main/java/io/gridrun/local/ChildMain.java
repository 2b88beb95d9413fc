package io.gridrun.local;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * The entry point of a {@link ChildService}'s JVM: {@code ChildMain <main class> <args...>} runs
 * the main class with the arguments, and stops the JVM when its standard input ends, i.e. when the
 * parent that holds the other end of the pipe is gone, even killed without running its hooks. The
 * stop is graceful ({@link System#exit}), and forced after a while should that hang.
 */
public final class ChildMain {

  private static final long FORCE_AFTER_MILLIS = 30_000;

  private ChildMain() {}

  public static void main(String[] args) throws Throwable {
    if (args.length == 0) {
      System.err.println("usage: ChildMain <main class> [args...]");
      System.exit(2);
    }
    Thread watch = new Thread(ChildMain::stopWhenParentIsGone, "parent-watch");
    watch.setDaemon(true);
    watch.start();
    Method main = Class.forName(args[0]).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void stopWhenParentIsGone() {
    try {
      while (System.in.read() != -1) {
        // the parent never writes; anything it does is ignored
      }
    } catch (IOException closed) {
      // the same: the parent is gone
    }
    // the parent closes it when it stops this service (Process.destroy) or when it dies
    System.err.println("gridrun: standard input closed: the parent stopped or is gone; stopping");
    Thread force =
        new Thread(
            () -> {
              try {
                Thread.sleep(FORCE_AFTER_MILLIS);
              } catch (InterruptedException ignored) {
                // halting anyway
              }
              Runtime.getRuntime().halt(1);
            },
            "parent-watch-halt");
    force.setDaemon(true);
    force.start();
    System.exit(1);
  }
}
