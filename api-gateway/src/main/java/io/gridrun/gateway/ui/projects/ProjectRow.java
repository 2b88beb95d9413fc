package io.gridrun.gateway.ui.projects;

import java.util.List;

/** A project and its pipeline files, as the Projects page lists them. */
public record ProjectRow(String name, List<String> pipelines) {}
