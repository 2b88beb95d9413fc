package io.gridrun.storage.blob;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Hashes what it reads and, at the end of the stream, fails with {@link CorruptBlobException}
 * instead of reporting the end when the content does not hash to the blob's name.
 */
final class VerifyingInputStream extends FilterInputStream {

  private final String hash;
  private final MessageDigest digest;
  private boolean verified;

  VerifyingInputStream(InputStream in, String hash, MessageDigest digest) {
    super(in);
    this.hash = hash;
    this.digest = digest;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b < 0) {
      verify();
    } else {
      digest.update((byte) b);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n < 0) {
      verify();
    } else {
      digest.update(buffer, offset, n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // skipped bytes must be hashed too
    byte[] buffer = new byte[8192];
    long skipped = 0;
    while (skipped < n) {
      int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
      if (read < 0) {
        break;
      }
      skipped += read;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void verify() throws CorruptBlobException {
    if (verified) {
      return;
    }
    verified = true;
    String actual = HexFormat.of().formatHex(digest.digest());
    if (!actual.equals(hash)) {
      throw new CorruptBlobException(hash, actual);
    }
  }
}
