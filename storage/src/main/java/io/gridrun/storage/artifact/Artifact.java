package io.gridrun.storage.artifact;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A file a step left in its outputs directory, kept in the artifact blob store.
 *
 * @param path relative to the outputs directory, with {@code /}
 * @param size bytes
 * @param sha256 the blob's hash
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Artifact(String path, long size, String sha256) {}
