package io.gridrun.snapshot.snapshot;

import io.gridrun.platform.web.ApiProblem;
import io.gridrun.platform.web.Page;
import io.gridrun.platform.web.Pages;
import io.gridrun.storage.blob.BlobStore;
import io.gridrun.storage.manifest.ManifestEntry;
import io.gridrun.storage.manifest.Manifests;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** What a snapshot holds, so a user sees what a job really ran. */
@RestController
class SnapshotController {

  private static final String FILES = "/files/";

  private final SnapshotStore snapshots;
  private final BlobStore blobs;

  SnapshotController(SnapshotStore snapshots, BlobStore blobs) {
    this.snapshots = snapshots;
    this.blobs = blobs;
  }

  @GetMapping("/api/v1/snapshots/{id}")
  Mono<SnapshotView> snapshot(@PathVariable String id) {
    return find(id).map(SnapshotView::of);
  }

  @GetMapping("/api/v1/snapshots/{id}/files")
  Mono<Page<ManifestEntry>> files(
      @PathVariable String id,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    Pages.check(page, size);
    long first = (long) page * size;
    return find(id)
        .publishOn(Schedulers.boundedElastic())
        .map(
            snapshot -> {
              List<ManifestEntry> items = new ArrayList<>();
              AtomicLong position = new AtomicLong();
              try {
                Manifests.forEach(
                    blobs,
                    snapshot.manifest(),
                    entry -> {
                      long at = position.getAndIncrement();
                      if (at >= first && items.size() < size) {
                        items.add(entry);
                      }
                    });
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
              return new Page<>(items, page, size, position.get());
            });
  }

  /** One file's content; the path follows {@code /files/} as it is, slashes included. */
  @GetMapping("/api/v1/snapshots/{id}/files/**")
  Mono<ResponseEntity<Flux<DataBuffer>>> file(@PathVariable String id, ServerHttpRequest request) {
    String raw = request.getPath().pathWithinApplication().value();
    String path =
        java.net.URLDecoder.decode(
            raw.substring(raw.indexOf(FILES) + FILES.length()),
            java.nio.charset.StandardCharsets.UTF_8);
    return find(id)
        .publishOn(Schedulers.boundedElastic())
        .flatMap(
            snapshot -> {
              AtomicReference<ManifestEntry> match = new AtomicReference<>();
              try {
                Manifests.forEach(
                    blobs,
                    snapshot.manifest(),
                    e -> {
                      if (e.path().equals(path) && ManifestEntry.FILE.equals(e.type())) {
                        match.set(e);
                      }
                    });
              } catch (java.io.IOException e) {
                return Mono.error(e);
              }
              if (match.get() == null) {
                return Mono.error(
                    ApiProblem.notFound("snapshot '" + id + "' has no file '" + path + "'"));
              }
              Flux<DataBuffer> body =
                  DataBufferUtils.readInputStream(
                      () -> blobs.open(match.get().hash()),
                      DefaultDataBufferFactory.sharedInstance,
                      8192);
              return Mono.just(
                  ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM).body(body));
            });
  }

  private Mono<SnapshotRecord> find(String id) {
    return snapshots
        .find(id)
        .switchIfEmpty(Mono.error(() -> ApiProblem.notFound("unknown snapshot '" + id + "'")));
  }
}
