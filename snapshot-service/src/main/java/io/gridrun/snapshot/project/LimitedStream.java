package io.gridrun.snapshot.project;

import io.gridrun.snapshot.project.ProjectUpload.Refused;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Refuses a stream once more than a limit has been read from it. */
final class LimitedStream extends FilterInputStream {

  static final class Exceeded extends IOException {
    final transient Refused refused;

    Exceeded(Refused refused) {
      super(refused.getMessage(), null);
      this.refused = refused;
    }
  }

  private final long max;
  private final Refused refused;
  private long read;

  LimitedStream(InputStream in, long max, Refused refused) {
    super(in);
    this.max = max;
    this.refused = refused;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      count(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    count(skipped);
    return skipped;
  }

  private void count(long n) throws Exceeded {
    read += n;
    if (read > max) {
      throw new Exceeded(refused);
    }
  }
}
