package io.gridrun.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code gridrun dlt ls|replay}: messages parked on the dead-letter topics (needs an admin token).
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "dlt",
    description = "Dead letters: messages the services parked (admin).",
    subcommands = {DltCommand.Ls.class, DltCommand.Replay.class})
final class DltCommand {

  @Command(
      mixinStandardHelpOptions = true,
      name = "ls",
      description = "The parked messages, oldest first per partition.")
  static final class Ls extends ClientCommand {
    @Option(
        names = "--topic",
        paramLabel = "TOPIC",
        description = "Only this topic's (gridrun.jobs, gridrun.runs, …).")
    String topic;

    @Option(names = "--limit", paramLabel = "N", description = "At most N (default 100).")
    Integer limit;

    @Override
    int run(Main main) {
      Map<String, Object> query = new LinkedHashMap<>();
      query.put("topic", topic);
      query.put("limit", limit);
      String answer = main.api().getText("/api/v1/dead-letters" + Api.query(query));
      if (main.json()) {
        main.out.println(answer.strip());
        return Main.OK;
      }
      JsonNode items = Json.parse(answer).path("items");
      if (items.isEmpty()) {
        main.out.println("No dead letters");
        return Main.OK;
      }
      Table table = new Table("TOPIC", "PARTITION", "OFFSET", "KEY", "PARKED", "ERROR");
      for (JsonNode letter : items) {
        table.row(
            Json.text(letter, "topic"),
            Json.text(letter, "partition"),
            Json.text(letter, "offset"),
            Json.text(letter, "key"),
            Json.text(letter, "parkedAt"),
            Json.text(letter, "error"));
      }
      main.out.print(table.render());
      return Main.OK;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "replay",
      description = "Publish a parked message again to the topic it came from.")
  static final class Replay extends ClientCommand {
    @Parameters(index = "0", paramLabel = "TOPIC")
    String topic;

    @Parameters(index = "1", paramLabel = "PARTITION")
    int partition;

    @Parameters(index = "2", paramLabel = "OFFSET")
    long offset;

    @Override
    int run(Main main) {
      String answer =
          main.api()
              .postJson(
                  "/api/v1/dead-letters/"
                      + Api.segment(topic)
                      + "/"
                      + partition
                      + "/"
                      + offset
                      + "/replay",
                  "{}");
      if (main.json()) {
        main.out.println(answer.strip());
      } else {
        JsonNode replayed = Json.parse(answer);
        main.out.println(
            "Replayed "
                + topic
                + " "
                + partition
                + "/"
                + offset
                + " to "
                + Json.text(replayed, "topic")
                + " (key "
                + Json.text(replayed, "key")
                + ")");
      }
      return Main.OK;
    }
  }
}
