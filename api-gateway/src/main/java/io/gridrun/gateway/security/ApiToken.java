package io.gridrun.gateway.security;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * An API token as stored: never its value, only the SHA-256 of it ({@code hash}, hex).
 *
 * @param id {@code tok-…}, shown by the API
 * @param name unique, chosen by whoever created it
 */
@Document("tokens")
public record ApiToken(@Id String id, String name, Scope scope, String hash, Instant createdAt) {}
