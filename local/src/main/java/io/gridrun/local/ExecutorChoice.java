package io.gridrun.local;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.BooleanSupplier;

/**
 * Which executor the local stack's runners use. {@code auto} takes Docker when an engine answers;
 * without one it falls back to running steps as local processes only while everything listens on
 * loopback, where the one user of this machine is the only one who can submit steps. Bound to any
 * other address it refuses: a step would then be any caller's code running as this user, so that
 * takes an explicit {@code --executor process}.
 *
 * @param docker true: containers; false: local processes
 * @param note why, for the banner; null when there is nothing to say
 */
record ExecutorChoice(boolean docker, String note) {

  /** The stack does not start: the one-line reason is the message. */
  static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message);
    }
  }

  static ExecutorChoice choose(
      String executor, String bind, BooleanSupplier dockerAnswers, String dockerSocket) {
    switch (executor) {
      case "docker":
        return new ExecutorChoice(true, null);
      case "process":
        return new ExecutorChoice(false, null);
      case "auto":
        break;
      default:
        throw new Refused("--executor must be docker, process or auto, not '" + executor + "'");
    }
    if (dockerAnswers.getAsBoolean()) {
      return new ExecutorChoice(true, null);
    }
    if (loopback(bind)) {
      return new ExecutorChoice(
          false,
          "no Docker engine answers at "
              + dockerSocket
              + ": steps run as local processes, not in containers, because everything listens on"
              + " 127.0.0.1 only");
    }
    throw new Refused(
        "no Docker engine answers at "
            + dockerSocket
            + " and the gateway would listen on "
            + bind
            + ", where others can reach it: steps need Docker there (start it with"
            + " scripts/docker-engine.sh), or pass --executor process to run them as local"
            + " processes anyway");
  }

  /** Whether {@code bind} is a loopback address (127.0.0.0/8, ::1, localhost). */
  static boolean loopback(String bind) {
    try {
      return InetAddress.getByName(bind).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
