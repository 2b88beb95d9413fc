package io.gridrun.job.application;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Records (jobs, runs, leases) exactly as the store holds them, kept across batches of events while
 * this instance owns their partitions. Only the event handler writes them, and only for the jobs of
 * the partitions it owns, so what it wrote or read last is what the store has: the next event of
 * the same job need not read it again. Every write goes to the store first (write-through); a write
 * that fails leaves nothing kept for its key. When partitions move ({@link #clear}, on any
 * assignment or revocation) everything is dropped, so a job whose partition comes back is read
 * afresh. Least recently used records are dropped beyond {@code capacity}.
 *
 * <p>Shared by the handler's threads: each thread touches only its own jobs' keys.
 */
public final class OwnedRecords<V> {

  private final Map<String, V> kept;

  public OwnedRecords(int capacity) {
    this.kept =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
            return size() > capacity;
          }
        };
  }

  public synchronized Optional<V> find(String key) {
    return Optional.ofNullable(kept.get(key));
  }

  public synchronized void put(String key, V value) {
    kept.put(key, value);
  }

  public synchronized void remove(String key) {
    kept.remove(key);
  }

  /** The kept record, or the one {@code load} finds in the store (then kept). */
  public Optional<V> findOrLoad(String key, Function<String, Optional<V>> load) {
    Optional<V> known = find(key);
    if (known.isPresent()) {
      return known;
    }
    Optional<V> found = load.apply(key);
    found.ifPresent(value -> put(key, value));
    return found;
  }

  /**
   * Writes {@code value} with {@code write} and keeps it once written: nothing is kept for the key
   * while the write is under way, nor if it fails.
   */
  public void writeThrough(String key, V value, Runnable write) {
    remove(key);
    write.run();
    put(key, value);
  }

  public synchronized void removeIf(Predicate<V> which) {
    kept.values().removeIf(which);
  }

  /** Drops everything: partitions moved, or a write's outcome is unknown. */
  public synchronized void clear() {
    kept.clear();
  }

  synchronized int size() {
    return kept.size();
  }
}
