package io.gridrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code gridrun token create|ls|revoke}: API tokens (needs an admin token). */
@Command(
    mixinStandardHelpOptions = true,
    name = "token",
    description = "API tokens (admin).",
    subcommands = {TokenCommand.Create.class, TokenCommand.Ls.class, TokenCommand.Revoke.class})
final class TokenCommand {

  /** A token's scope. */
  enum Scope {
    read,
    write,
    admin
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "create",
      description = "Create a token; prints its value, shown only once.")
  static final class Create extends ClientCommand {
    @Option(
        names = "--scope",
        required = true,
        paramLabel = "SCOPE",
        description = "read, write or admin.")
    Scope scope;

    @Option(names = "--name", paramLabel = "N", description = "A name to recognise it by.")
    String name;

    @Override
    int run(Main main) {
      ObjectNode body = Json.object();
      body.put("name", name != null ? name : scope.name() + "-" + main.clock.millis());
      body.put("scope", scope.name());
      JsonNode created = Json.parse(main.api().postJson("/api/v1/tokens", Json.write(body)));
      if (main.json()) {
        ObjectNode shown = Json.object();
        shown.set("name", created.path("name"));
        shown.set("scope", created.path("scope"));
        shown.set("token", created.path("token"));
        main.out.println(Json.write(shown));
      } else {
        main.out.println(Json.text(created, "token"));
      }
      return Main.OK;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "ls",
      description = "The tokens (never their values).")
  static final class Ls extends ClientCommand {
    @Override
    int run(Main main) {
      String answer = main.api().getText("/api/v1/tokens");
      if (main.printedAsJson(answer)) {
        return Main.OK;
      }
      JsonNode tokens = Json.parse(answer);
      JsonNode items = tokens.isArray() ? tokens : tokens.path("items");
      Table table = new Table("ID", "NAME", "SCOPE", "CREATED");
      for (JsonNode token : items) {
        table.row(
            Json.text(token, "id"),
            Json.text(token, "name"),
            Json.text(token, "scope"),
            Json.text(token, "createdAt"));
      }
      main.out.print(table.render());
      return Main.OK;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "revoke",
      description = "Revoke a token by id or name.")
  static final class Revoke extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    int run(Main main) {
      main.api().delete("/api/v1/tokens/" + Api.segment(id));
      if (main.json()) {
        main.out.println("{\"revoked\":" + Json.write(id) + "}");
      } else {
        main.out.println("Token " + id + " revoked");
      }
      return Main.OK;
    }
  }
}
