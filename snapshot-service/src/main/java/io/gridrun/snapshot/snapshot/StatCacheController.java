package io.gridrun.snapshot.snapshot;

import io.gridrun.platform.web.ApiProblem;
import io.gridrun.snapshot.project.Projects;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code DELETE /api/v1/projects/{name}/stat-cache}: the project's next snapshot reads and hashes
 * every file again instead of trusting unchanged size, time stamps and inode (see {@link
 * StatCache}).
 */
@RestController
class StatCacheController {

  private final Projects projects;
  private final StatCache cache;

  StatCacheController(Projects projects, StatCache cache) {
    this.projects = projects;
    this.cache = cache;
  }

  @DeleteMapping("/api/v1/projects/{name}/stat-cache")
  Mono<ResponseEntity<Void>> forget(@PathVariable String name) {
    return Mono.fromCallable(
            () -> {
              try {
                cache.forget(projects.directory(name).toRealPath());
              } catch (Projects.ProjectException e) {
                throw e.notFound()
                    ? ApiProblem.notFound(e.getMessage())
                    : ApiProblem.badRequest(e.getMessage());
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              return ResponseEntity.noContent().<Void>build();
            })
        .subscribeOn(Schedulers.boundedElastic());
  }
}
