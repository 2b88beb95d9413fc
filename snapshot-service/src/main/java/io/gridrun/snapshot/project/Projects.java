package io.gridrun.snapshot.project;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.pipeline.OrchestPipeline;
import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.common.pipeline.ProjectPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;

/** The projects root: one directory per project, pipelines as JSON files inside. */
public class Projects {

  /** Why a project or pipeline cannot be read; {@code notFound} tells a 404 from a 400. */
  public static class ProjectException extends Exception {
    private final boolean notFound;

    ProjectException(String message, boolean notFound) {
      super(message);
      this.notFound = notFound;
    }

    public boolean notFound() {
      return notFound;
    }
  }

  private final Path root;

  public Projects(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path directory(String project) throws ProjectException {
    if (!ProjectPaths.isSafeName(project)) {
      throw new ProjectException("'" + project + "' is not a valid project name", false);
    }
    Path dir = root.resolve(project);
    if (!Files.isDirectory(dir)) {
      throw new ProjectException("unknown project '" + project + "'", true);
    }
    return dir;
  }

  public PipelineDefinition pipeline(String project, String path) throws ProjectException {
    Path dir = directory(project);
    if (!ProjectPaths.isSafeRelative(path)) {
      throw new ProjectException(
          "pipeline '" + path + "' must be a relative path inside the project", false);
    }
    Path file = dir.resolve(path).normalize();
    if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
      throw new ProjectException("project '" + project + "' has no pipeline '" + path + "'", true);
    }
    if (OrchestPipeline.isOrchest(path)) {
      return orchest(project, path, file);
    }
    try {
      PipelineDefinition definition =
          EventCodec.mapper().readValue(Files.readString(file), PipelineDefinition.class);
      if (definition == null) {
        throw new ProjectException("pipeline '" + path + "' is empty", false);
      }
      return definition;
    } catch (JacksonException e) {
      throw new ProjectException(
          "pipeline '" + path + "' is not valid pipeline JSON: " + e.getOriginalMessage(), false);
    } catch (IOException e) {
      throw new ProjectException(
          "pipeline '" + path + "' could not be read: " + e.getMessage(), false);
    }
  }

  /** An Orchest pipeline file read as a pipeline (see {@link OrchestPipeline}). */
  private static PipelineDefinition orchest(String project, String path, Path file)
      throws ProjectException {
    try {
      return OrchestPipeline.read(EventCodec.mapper(), Files.readString(file), path, project);
    } catch (OrchestPipeline.MalformedException e) {
      throw new ProjectException(
          "pipeline '" + path + "' is not a valid Orchest pipeline: " + e.getMessage(), false);
    } catch (IOException e) {
      throw new ProjectException(
          "pipeline '" + path + "' could not be read: " + e.getMessage(), false);
    }
  }

  public List<String> names() throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .filter(ProjectPaths::isSafeName)
          .sorted()
          .toList();
    }
  }

  /**
   * Pipeline files ({@code *.pipeline.json}, Orchest's {@code *.orchest}) of a project, outside
   * {@code data/} and {@code .git/}.
   */
  public List<String> pipelines(String project) throws ProjectException, IOException {
    Path dir = directory(project);
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString().replace('\\', '/'))
          .filter(p -> p.endsWith(".pipeline.json") || OrchestPipeline.isOrchest(p))
          .filter(p -> !p.startsWith("data/") && !p.startsWith(".git/"))
          .sorted()
          .toList();
    }
  }
}
