package io.gridrun.runner.execution;

import io.gridrun.common.pipeline.StepDefinition;
import io.gridrun.runner.runtime.StepPaths;
import io.gridrun.runner.runtime.StepWorkspace;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.util.FileSystemUtils;

/**
 * What gridrun adds to every step besides its parameters: the interpreter chosen by the file's
 * extension, the {@code gridrun} Python helper module (read-only, on {@code PYTHONPATH}), the
 * outputs directory kept as artifacts ({@code GRIDRUN_OUTPUTS}), the notebook runner, and a file in
 * which a step can leave the reason it failed. In a container, {@code HOME} and the Jupyter,
 * IPython and matplotlib directories are under {@code /tmp}, so steps work with a read-only root.
 */
public final class StepHelpers {

  /** The helper scripts, copied from the class path into every step's {@code lib}. */
  static final List<String> LIBRARY = List.of("gridrun.py", "gridrun_notebook.py", "orchest.py");

  /** Where the {@code orchest} SDK keeps a run's outputs: in the run's working copy. */
  static final String ORCHEST_TRANSFER = ".orchest-transfer";

  private static final Map<String, String> LIBRARY_TEXT = loadLibrary();

  private StepHelpers() {}

  /** Where the step's outputs are on the runner's host. */
  public static Path outputs(StepWorkspace workspace) {
    return workspace.gridrun().resolve("outputs");
  }

  static Path reasonFile(StepWorkspace workspace) {
    return workspace.gridrun().resolve("reason");
  }

  /** The step's directory as the step sees it ({@code /gridrun} in a container). */
  private static String gridrunDir(StepPaths paths) {
    String params = paths.paramsFile();
    return params.substring(0, params.lastIndexOf('/'));
  }

  /**
   * The command: the pipeline's {@code command} if given, else by the file's extension: {@code .py}
   * python3, {@code .sh} sh, {@code .R} Rscript, {@code .jl} julia, {@code .ipynb} gridrun's
   * notebook runner (python3 with nbclient), anything else sh.
   */
  public static List<String> command(StepDefinition step, StepPaths paths) {
    if (step.command() != null && !step.command().isEmpty()) {
      return step.command();
    }
    String file = step.file();
    String lower = file.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".ipynb")) {
      return List.of("python3", gridrunDir(paths) + "/lib/gridrun_notebook.py", file);
    }
    if (lower.endsWith(".py")) {
      return List.of("python3", file);
    }
    if (file.endsWith(".R") || lower.endsWith(".r")) {
      return List.of("Rscript", file);
    }
    if (lower.endsWith(".jl")) {
      return List.of("julia", file);
    }
    return List.of("sh", file);
  }

  /** The step's variables with gridrun's helpers' added (user values kept where they may be). */
  public static Map<String, String> environment(
      Map<String, String> base, StepPaths paths, boolean container) {
    Map<String, String> env = new LinkedHashMap<>(base);
    String dir = gridrunDir(paths);
    env.put("GRIDRUN_OUTPUTS", dir + "/outputs");
    env.put("GRIDRUN_REASON_FILE", dir + "/reason");
    String own = base.get("PYTHONPATH");
    env.put("PYTHONPATH", dir + "/lib" + (own == null || own.isBlank() ? "" : ":" + own));
    if (container) {
      env.putIfAbsent("HOME", "/tmp");
      env.putIfAbsent("MPLCONFIGDIR", "/tmp/matplotlib");
      env.putIfAbsent("IPYTHONDIR", "/tmp/ipython");
      env.putIfAbsent("JUPYTER_CONFIG_DIR", "/tmp/jupyter/config");
      env.putIfAbsent("JUPYTER_DATA_DIR", "/tmp/jupyter/data");
      env.putIfAbsent("JUPYTER_RUNTIME_DIR", "/tmp/jupyter/runtime");
    }
    return env;
  }

  /** Writes the helper library (read-only) into the step's directory. */
  static void writeLibrary(StepWorkspace workspace) throws IOException {
    Path lib = workspace.gridrun().resolve("lib");
    if (Files.isDirectory(lib)) {
      Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Files.createDirectories(lib);
    for (var entry : LIBRARY_TEXT.entrySet()) {
      Path file = lib.resolve(entry.getKey());
      if (Files.exists(file)) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
      }
      Files.writeString(file, entry.getValue());
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
    }
    Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("r-xr-xr-x"));
  }

  /**
   * The directory in the run's working copy where {@code orchest.output} stores a step's output for
   * the downstream steps: any container user may write it, and it never leaves the run.
   */
  static void prepareTransfer(StepWorkspace workspace) throws IOException {
    Path transfer = workspace.project().resolve(ORCHEST_TRANSFER);
    if (!Files.isDirectory(transfer, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(transfer);
      Files.setPosixFilePermissions(transfer, PosixFilePermissions.fromString("rwxrwxrwx"));
    }
  }

  /** Before each attempt: an empty outputs directory any container user may write, no reason. */
  static void resetAttempt(StepWorkspace workspace) throws IOException {
    Path outputs = outputs(workspace);
    if (Files.exists(outputs)) {
      FileSystemUtils.deleteRecursively(outputs);
    }
    Files.createDirectories(outputs);
    Files.setPosixFilePermissions(outputs, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.deleteIfExists(reasonFile(workspace));
  }

  /** The reason the step left for its failure, if it left one (one line, at most 500 chars). */
  static String leftReason(StepWorkspace workspace) {
    Path file = reasonFile(workspace);
    try {
      if (!Files.isRegularFile(file) || Files.size(file) > 64 * 1024) {
        return null;
      }
      String text = Files.readString(file).strip().replaceAll("\\s*\\R\\s*", " ");
      if (text.isEmpty()) {
        return null;
      }
      return text.length() > 500 ? text.substring(0, 500) + "…" : text;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static Map<String, String> loadLibrary() {
    Map<String, String> texts = new LinkedHashMap<>();
    for (String name : LIBRARY) {
      try (InputStream in =
          StepHelpers.class.getResourceAsStream("/io/gridrun/runner/python/" + name)) {
        if (in == null) {
          throw new IllegalStateException("resource missing: " + name);
        }
        texts.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return Map.copyOf(texts);
  }
}
