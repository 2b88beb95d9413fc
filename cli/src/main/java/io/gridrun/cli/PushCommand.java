package io.gridrun.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code gridrun push DIR [--project NAME]}. */
@Command(
    mixinStandardHelpOptions = true,
    name = "push",
    description =
        "Upload a project directory (as .tar.gz, honouring .gitignore, without .git/ and data/).")
final class PushCommand extends ClientCommand {

  @Parameters(index = "0", paramLabel = "DIR", description = "The project directory.")
  Path dir;

  @Option(
      names = "--project",
      paramLabel = "NAME",
      description = "The project's name on the server (default: the directory's name).")
  String project;

  @Override
  int run(Main main) throws Exception {
    if (!Files.isDirectory(dir)) {
      throw new CliException(Main.CLIENT_ERROR, dir + " is not a directory");
    }
    String name = project;
    if (name == null || name.isBlank()) {
      Path fileName = dir.toAbsolutePath().normalize().getFileName();
      name = fileName == null ? "" : fileName.toString();
    }
    Api api = main.api();
    Path archive = Files.createTempFile("gridrun-push-", ".tar.gz");
    try {
      ProjectArchive.Packed packed = ProjectArchive.pack(dir, archive);
      String answer =
          api.putBytes(
              "/api/v1/projects/" + Api.segment(name),
              Files.readAllBytes(archive),
              "application/gzip");
      if (!main.printedAsJson(answer)) {
        JsonNode project = Json.parse(answer);
        main.out.printf(
            Locale.ROOT,
            "Pushed %s to %s: %d files, %s (%s sent)%n",
            Json.text(project, "name") != null ? Json.text(project, "name") : name,
            api.server(),
            packed.files(),
            Units.bytes(packed.bytes()),
            Units.bytes(packed.archiveBytes()));
      }
      return Main.OK;
    } finally {
      Files.deleteIfExists(archive);
    }
  }
}
