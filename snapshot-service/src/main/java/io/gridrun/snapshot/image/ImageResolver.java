package io.gridrun.snapshot.image;

/** Resolves an image reference to the id of the image it points to now. */
public interface ImageResolver {

  /**
   * What a reference points to.
   *
   * @param exists false when no such image exists
   * @param imageId {@code sha256:…}; null when this resolver does not pin (no container engine)
   */
  record Resolution(boolean exists, String imageId) {}

  /**
   * @throws Unavailable when the container engine could not be asked
   */
  Resolution resolve(String reference);

  /** The container engine did not answer; the message says which engine and why. */
  class Unavailable extends RuntimeException {
    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** For machines without a container engine: every reference is kept as it is. */
  ImageResolver NONE = reference -> new Resolution(true, null);
}
