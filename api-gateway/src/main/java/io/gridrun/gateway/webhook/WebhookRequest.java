package io.gridrun.gateway.webhook;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.gridrun.platform.web.StrictJson;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The body of {@code POST /api/v1/webhooks}, bound by Jackson and checked with Bean Validation
 * ({@link WebhookRegistration}). A value of the wrong type binds as null and is named by the
 * field's "is required".
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@Schema(
    description = "A webhook: status events POSTed to a URL, signed with the secret",
    example =
        "{\"url\": \"https://ci.example.com/gridrun\", \"events\": [\"job.failed\","
            + " \"job.succeeded\"], \"secret\": \"s3cr3t\"}")
record WebhookRequest(
    @Schema(
            requiredMode = Schema.RequiredMode.REQUIRED,
            description = "http or https, to a public address (or gridrun.webhooks.allowed-hosts)")
        @JsonDeserialize(using = StrictJson.TextOrNull.class)
        @WebhookRegistration.WebhookUrl
        String url,
    @Schema(
            requiredMode = Schema.RequiredMode.REQUIRED,
            description = "<job|run|step>.<pending|started|paused|succeeded|failed|aborted>, or *")
        @JsonDeserialize(using = StrictJson.ListOrNull.class)
        @WebhookRegistration.WebhookEvents
        List<Object> events,
    @Schema(
            requiredMode = Schema.RequiredMode.REQUIRED,
            accessMode = Schema.AccessMode.WRITE_ONLY,
            description = "deliveries are signed with it (HMAC-SHA256); never shown")
        @JsonDeserialize(using = StrictJson.TextOrNull.class)
        @NotEmpty(message = "secret is required: deliveries are signed with it (HMAC-SHA256)")
        String secret) {

  /** The order in which problems are listed. */
  static final List<String> FIELDS = List.of("url", "events", "secret");

  /** The events as names, once checked. */
  List<String> eventNames() {
    return events.stream().map(String.class::cast).toList();
  }
}
