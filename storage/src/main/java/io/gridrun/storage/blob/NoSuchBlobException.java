package io.gridrun.storage.blob;

import java.io.IOException;

/** A blob that is not (or no longer) in the store. */
public class NoSuchBlobException extends IOException {

  public NoSuchBlobException(String hash) {
    super("no blob " + hash + " in the store");
  }
}
