package io.gridrun.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code gridrun env set|ls}: environments, the images steps run in. */
@Command(
    mixinStandardHelpOptions = true,
    name = "env",
    description = "Environments: the container images steps run in.",
    subcommands = {EnvCommand.Set.class, EnvCommand.Ls.class})
final class EnvCommand {

  @Command(
      mixinStandardHelpOptions = true,
      name = "set",
      description = "Register or replace an environment.")
  static final class Set extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--image", required = true, paramLabel = "IMG", description = "The image.")
    String image;

    @Option(names = "--env", paramLabel = "K=V", description = "A variable for its steps.")
    List<String> env = new ArrayList<>();

    @Option(
        names = "--secret",
        paramLabel = "K=V",
        description = "A secret variable for its steps: sent once, shown as •••• from then on.")
    List<String> secrets = new ArrayList<>();

    @Option(names = "--network", description = "Its steps get a network (default: none).")
    boolean network;

    @Override
    int run(Main main) {
      ObjectNode body = Json.object();
      body.put("image", image);
      body.set("env", Params.env(env));
      if (!secrets.isEmpty()) {
        body.set("secrets", Params.secrets(secrets));
      }
      body.put("network", network);
      String answer =
          main.api().putJson("/api/v1/environments/" + Api.segment(name), Json.write(body));
      if (!main.printedAsJson(answer)) {
        main.out.println("Environment " + name + " set: " + image);
      }
      return Main.OK;
    }
  }

  @Command(mixinStandardHelpOptions = true, name = "ls", description = "List the environments.")
  static final class Ls extends ClientCommand {
    @Override
    int run(Main main) {
      String answer = main.api().getText("/api/v1/environments?size=500");
      if (main.printedAsJson(answer)) {
        return Main.OK;
      }
      Table table = new Table("NAME", "IMAGE", "NETWORK", "ENV", "SECRETS");
      for (JsonNode item : Json.parse(answer).path("items")) {
        table.row(
            Json.text(item, "name") != null ? Json.text(item, "name") : Json.text(item, "id"),
            Json.text(item, "image"),
            item.path("network").asBoolean(false) ? "yes" : "no",
            envText(item.path("env")),
            envText(item.path("secrets")));
      }
      main.out.print(table.render());
      return Main.OK;
    }

    private static String envText(JsonNode env) {
      List<String> pairs = new ArrayList<>();
      for (String key : env.propertyNames()) {
        pairs.add(key + "=" + Json.cell(env.get(key)));
      }
      return String.join(" ", pairs);
    }
  }
}
