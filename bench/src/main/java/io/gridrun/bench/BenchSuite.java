package io.gridrun.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * One section of docs/benchmarks.md. A new benchmark is a class implementing this, registered with
 * one line in {@link BenchMain#SUITES}; it reads its sizes from the options ({@link BenchMain}'s
 * fields, smaller with {@code --quick}).
 */
interface BenchSuite {

  /** The name {@code --only} selects it by. */
  String name();

  /** The section's title. */
  String title();

  Section run(BenchMain options, Path workDir) throws Exception;

  /**
   * What a suite measured.
   *
   * @param notRun what could not be measured here, each with why
   * @param notes where the time went and what changed, printed under the table
   */
  record Section(List<Figure> figures, List<String> notRun, List<String> notes) {

    static Section of(List<Figure> figures) {
      return new Section(figures, List.of(), List.of());
    }
  }

  /** A suite from a name, a title and a function. */
  static BenchSuite of(String name, String title, Body body) {
    return new BenchSuite() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String title() {
        return title;
      }

      @Override
      public Section run(BenchMain options, Path workDir) throws Exception {
        return body.run(options, workDir);
      }
    };
  }

  /** The measuring part of a suite. */
  interface Body {
    Section run(BenchMain options, Path workDir) throws Exception;
  }
}
