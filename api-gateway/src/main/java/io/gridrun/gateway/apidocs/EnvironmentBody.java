package io.gridrun.gateway.apidocs;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/**
 * The body of {@code PUT /api/v1/environments/{name}} as the OpenAPI document shows it. The gateway
 * forwards it unchanged to snapshot-service, whose {@code EnvironmentRegistration} binds and checks
 * it (the two must list the same fields).
 */
@Schema(
    name = "EnvironmentRegistration",
    description = "An existing image, or a base image and a setup script for gridrun to build one",
    example = "{\"image\": \"gridrun/busybox:test\", \"env\": {\"K\": \"v\"}, \"network\": false}")
record EnvironmentBody(
    @Schema(
            description = "an image reference (not with base/setup)",
            example = "gridrun/busybox:test")
        String image,
    @Schema(description = "the image a build starts from", example = "gridrun/python:3-debian")
        String base,
    @Schema(description = "the build's shell script, run with sh -e") String setup,
    @Schema(description = "variables of the environment's steps (string values)")
        Map<String, String> env,
    @Schema(description = "whether the environment's steps get a network (default false)")
        Boolean network,
    @Schema(
            description = "secret variables of the environment's steps, write-only (never shown)",
            accessMode = Schema.AccessMode.WRITE_ONLY)
        Map<String, String> secrets) {}
