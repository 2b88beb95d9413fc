package io.gridrun.snapshot.environment;

import java.io.OutputStream;

/** Builds an environment's image: {@code FROM base} plus the setup script as one layer. */
public interface ImageBuilder {

  /**
   * Builds and tags the image, writing the build's output to {@code log}.
   *
   * @return the new image's id
   * @throws BuildFailure with a reason for the user when the build fails
   */
  String build(String base, String setup, String tag, OutputStream log) throws BuildFailure;

  /** A failed build; the message is the reason shown on the version. */
  class BuildFailure extends Exception {
    public BuildFailure(String reason) {
      super(reason);
    }
  }
}
