package io.gridrun.gateway.ui.projects;

import io.gridrun.gateway.ui.UiApi;
import io.gridrun.gateway.ui.UiApiException;
import io.gridrun.gateway.ui.UiText;
import io.gridrun.gateway.ui.jobs.ApiPage;
import io.gridrun.gateway.ui.runs.ApiSnapshot;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * A snapshot's file browser ({@code /snapshots/{id}}): its files with their sizes, a page at a
 * time, and the content of the file chosen in the URL ({@code ?file=train.py}) as text.
 */
@Controller
class SnapshotPageController {

  static final int PAGE_SIZE = 200;

  /** The most of a file the page shows. */
  static final int MAX_FILE_BYTES = 512 * 1024;

  private final UiApi api;

  SnapshotPageController(UiApi api) {
    this.api = api;
  }

  @GetMapping("/snapshots/{id}")
  Mono<Rendering> snapshot(
      @PathVariable String id,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "") String file,
      ServerWebExchange exchange) {
    String base = "/snapshots/" + encode(id);
    int at = Math.max(0, page);
    Mono<ApiSnapshot> snapshot = api.get(exchange, base, ApiSnapshot.class);
    Mono<FilePage> files =
        api.get(exchange, base + "/files?page=" + at + "&size=" + PAGE_SIZE, FilePage.class);
    Mono<FileView> content =
        file.isEmpty()
            ? Mono.just(FileView.NONE)
            : api.text(exchange, base + "/files/" + encodePath(file), MAX_FILE_BYTES)
                .map(text -> new FileView(file, text, null))
                .onErrorResume(
                    UiApiException.class, e -> Mono.just(new FileView(file, null, e.problem())));
    return Mono.zip(snapshot, files, content)
        .map(
            t ->
                Rendering.view("projects/snapshot")
                    .modelAttribute("snapshot", t.getT1())
                    .modelAttribute("files", t.getT2().asPage())
                    .modelAttribute("file", t.getT3())
                    .modelAttribute("page", at)
                    .modelAttribute("download", "/api/v1" + base + "/files/" + encodePath(file))
                    .modelAttribute("maxFileBytes", MAX_FILE_BYTES)
                    .build());
  }

  /** The file shown: its text, or the API's problem (e.g. no such file). */
  public record FileView(String path, UiText content, io.gridrun.gateway.ui.UiProblem problem) {
    static final FileView NONE = new FileView("", null, null);

    public boolean shown() {
      return !path.isEmpty();
    }
  }

  /** A page of the snapshot's manifest, as the API answers it. */
  @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
  record FilePage(List<Entry> items, int page, int size, long total) {
    ApiPage<Entry> asPage() {
      return new ApiPage<>(items, page, size, total);
    }
  }

  /** One manifest entry. */
  @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
  public record Entry(String path, String type, String mode, Long size, String hash) {
    public boolean file() {
      return type == null || "file".equalsIgnoreCase(type);
    }

    /** {@code 1.2 KiB}. */
    public String sizeText() {
      return SnapshotPageController.bytes(size);
    }
  }

  static String bytes(Long n) {
    if (n == null) {
      return "";
    }
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Each segment encoded, the slashes kept: the API takes the path as it is after /files/. */
  static String encodePath(String path) {
    return Arrays.stream(path.split("/", -1))
        .map(SnapshotPageController::encode)
        .collect(Collectors.joining("/"));
  }
}
