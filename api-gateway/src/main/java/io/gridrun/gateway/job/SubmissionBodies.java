package io.gridrun.gateway.job;

import org.springframework.core.codec.DecodingException;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;

/**
 * A submission's body as the HTTP layer bound it: an absent body or a JSON {@code null} is "not a
 * JSON object"; malformed JSON and values of the wrong type get the messages of {@link
 * JobSubmissions#unreadable}, not Spring's generic "could not be read".
 */
final class SubmissionBodies {

  private SubmissionBodies() {}

  static Mono<JobSubmission> read(Mono<JobSubmission> body) {
    return body.switchIfEmpty(
            Mono.error(() -> new InvalidJobRequestException("the body must be a JSON object")))
        .onErrorMap(ServerWebInputException.class, SubmissionBodies::unreadable);
  }

  private static Throwable unreadable(ServerWebInputException e) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof JacksonException jackson) {
        return JobSubmissions.unreadable(jackson);
      }
      if (cause instanceof DecodingException && cause.getCause() == null) {
        break;
      }
    }
    return e;
  }
}
