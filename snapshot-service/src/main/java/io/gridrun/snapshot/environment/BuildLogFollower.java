package io.gridrun.snapshot.environment;

import java.time.Duration;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A build's log as it is now, or followed: new bytes as the build writes them, ending once the
 * build has ended and everything it wrote was sent.
 */
public class BuildLogFollower {

  private static final int CHUNK = 64 * 1024;

  private final BuildLogs logs;
  private final EnvironmentBuilds builds;
  private final Duration poll;

  public BuildLogFollower(BuildLogs logs, EnvironmentBuilds builds, Duration poll) {
    this.logs = logs;
    this.builds = builds;
    this.poll = poll;
  }

  private record Chunk(byte[] bytes, boolean last) {}

  public Flux<DataBuffer> stream(String name, int version, boolean follow) {
    return Flux.defer(
        () -> {
          long[] offset = {0};
          Mono<Chunk> next =
              Mono.fromCallable(
                      () -> {
                        // ended before reading: what is read now is all there will be
                        boolean ended = !follow || !builds.building(name, version);
                        byte[] bytes = logs.read(name, version, offset[0], CHUNK);
                        offset[0] += bytes.length;
                        return new Chunk(bytes, ended && bytes.length < CHUNK);
                      })
                  .subscribeOn(Schedulers.boundedElastic());
          return Flux.interval(Duration.ZERO, poll)
              .onBackpressureDrop()
              .concatMap(tick -> next, 1)
              .takeUntil(Chunk::last)
              .filter(chunk -> chunk.bytes().length > 0)
              .map(chunk -> DefaultDataBufferFactory.sharedInstance.wrap(chunk.bytes()));
        });
  }
}
