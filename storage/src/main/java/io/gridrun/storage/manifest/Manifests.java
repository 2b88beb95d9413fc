package io.gridrun.storage.manifest;

import io.gridrun.common.event.EventCodec;
import io.gridrun.storage.blob.BlobStore;
import io.gridrun.storage.blob.StoredBlob;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;

/**
 * A snapshot's manifest is itself a blob: one JSON {@link ManifestEntry} per line, in the order
 * they were added. Both writing and reading stream, so a manifest of any size never sits in memory.
 */
public final class Manifests {

  private static final JsonMapper JSON = EventCodec.mapper();

  private Manifests() {}

  /** Collects entries in a temporary file; {@link #store} puts the finished manifest. */
  public static final class Writer implements Closeable {
    private final Path temp;
    private final BufferedWriter out;
    private long entries;

    public Writer() throws IOException {
      temp = Files.createTempFile("gridrun-manifest", ".jsonl");
      out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8);
    }

    public synchronized void add(ManifestEntry entry) throws IOException {
      out.write(JSON.writeValueAsString(entry));
      out.write('\n');
      entries++;
    }

    public synchronized long entries() {
      return entries;
    }

    public StoredBlob store(BlobStore store) throws IOException {
      out.close();
      return store.put(temp);
    }

    @Override
    public void close() throws IOException {
      out.close();
      Files.deleteIfExists(temp);
    }
  }

  /** Calls {@code action} for each entry of the manifest, in order. */
  public static void forEach(BlobStore store, String manifestHash, Consumer<ManifestEntry> action)
      throws IOException {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(store.open(manifestHash), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (!line.isBlank()) {
          action.accept(JSON.readValue(line, ManifestEntry.class));
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
