package io.gridrun.storage.blob;

import java.io.IOException;

/** A blob whose bytes no longer hash to its name (truncated or damaged on disk): never used. */
public class CorruptBlobException extends IOException {

  public CorruptBlobException(String hash, String actual) {
    super("blob " + hash + " is damaged: its content hashes to " + actual);
  }
}
