package io.gridrun.gateway.apidocs;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.converter.ResolvedSchema;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.PathParameter;
import io.swagger.v3.oas.models.parameters.QueryParameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The routes the gateway forwards unchanged to the service that owns the data (job-service,
 * snapshot-service): the gateway maps them with wildcards ({@code ProxyController}), so springdoc
 * cannot see them one by one. Their answers are the owning services' JSON, described in
 * docs/api.md.
 */
final class ForwardedRoutes {

  private static final Pattern PATH_VARIABLE = Pattern.compile("\\{([^}]+)}");
  private static final String PAGE = "page,size";

  /**
   * A forwarded route: method, path, tag, summary, query parameters, status, media type, and the
   * request body's type (null for none).
   */
  record Route(
      PathItem.HttpMethod method,
      String path,
      String tag,
      String summary,
      String query,
      String status,
      String mediaType,
      Class<?> body) {

    Route(
        PathItem.HttpMethod method,
        String path,
        String tag,
        String summary,
        String query,
        String status,
        String mediaType) {
      this(method, path, tag, summary, query, status, mediaType, null);
    }

    Route(PathItem.HttpMethod method, String path, String tag, String summary, String query) {
      this(method, path, tag, summary, query, "200", "application/json");
    }
  }

  private static final String PROJECT_ENV = "/api/v1/projects/{name}/env";

  static final List<Route> ROUTES =
      List.of(
          get("/api/v1/environments", "environments", "Registered environments", PAGE),
          get("/api/v1/environments/{name}", "environments", "One environment", ""),
          new Route(
              PathItem.HttpMethod.PUT,
              "/api/v1/environments/{name}",
              "environments",
              "Register or replace an environment ({image}), or build one ({base, setup}: 202)",
              "",
              "200",
              "application/json",
              EnvironmentBody.class),
          get("/api/v1/jobs", "jobs", "Jobs, newest first", "status,project,q," + PAGE),
          get("/api/v1/jobs/{id}", "jobs", "One job", ""),
          get(
              "/api/v1/jobs/{id}/runs",
              "jobs",
              "The job's runs (param.<name>=value filters by parameter)",
              "status,batch,order," + PAGE),
          get(
              "/api/v1/jobs/{id}/results",
              "results",
              "Metrics of every run, compared",
              "sort,order,batch," + PAGE),
          new Route(
              PathItem.HttpMethod.GET,
              "/api/v1/jobs/{id}/results.csv",
              "results",
              "The results table as CSV",
              "sort,order,batch",
              "200",
              "text/csv"),
          get("/api/v1/runs/{runId}", "jobs", "One run", ""),
          control("/api/v1/jobs/{id}/cancel", "Cancel the job"),
          control("/api/v1/jobs/{id}/pause", "Pause a cron job's firings"),
          control("/api/v1/jobs/{id}/resume", "Resume a cron job's schedule"),
          control("/api/v1/jobs/{id}/trigger", "Start one extra batch of a cron job now"),
          control("/api/v1/jobs/{id}/rerun-failed", "Re-run the last batch's failed runs"),
          control("/api/v1/runs/{runId}/cancel", "Cancel one run"),
          new Route(
              PathItem.HttpMethod.DELETE,
              "/api/v1/jobs/{id}",
              "control",
              "Cancel if needed, then remove the job, its runs and logs",
              "",
              "202",
              "application/json"),
          new Route(
              PathItem.HttpMethod.PUT,
              "/api/v1/projects/{name}",
              "projects",
              "Upload a project as a .tar.gz body (application/gzip or application/octet-stream)",
              "",
              "200",
              "application/json"),
          get("/api/v1/projects", "projects", "Projects", PAGE),
          new Route(
              PathItem.HttpMethod.PUT,
              PROJECT_ENV,
              "projects",
              "Replace the project's environment variables (a JSON object of name to value)",
              "",
              "200",
              "application/json"),
          get(PROJECT_ENV, "projects", "The project's environment variables", ""),
          new Route(
              PathItem.HttpMethod.DELETE,
              "/api/v1/projects/{name}/stat-cache",
              "projects",
              "Forget the hashes of unchanged files: the next snapshot reads every file",
              "",
              "204",
              "application/json"),
          get("/api/v1/projects/{name}/pipelines", "projects", "A project's pipeline files", PAGE),
          get("/api/v1/snapshots/{id}", "projects", "One snapshot", ""),
          get("/api/v1/snapshots/{id}/files", "projects", "A snapshot's manifest entries", PAGE),
          new Route(
              PathItem.HttpMethod.GET,
              "/api/v1/snapshots/{id}/files/{path}",
              "projects",
              "One file of a snapshot as the job ran it (the path may hold slashes)",
              "",
              "200",
              "application/octet-stream"));

  private ForwardedRoutes() {}

  private static Route get(String path, String tag, String summary, String query) {
    return new Route(PathItem.HttpMethod.GET, path, tag, summary, query);
  }

  private static Route control(String path, String summary) {
    return new Route(
        PathItem.HttpMethod.POST, path, "control", summary, "", "202", "application/json");
  }

  /** Adds every forwarded route the document does not describe yet. */
  static void addTo(OpenAPI openApi) {
    if (openApi.getPaths() == null) {
      openApi.setPaths(new Paths());
    }
    for (Route route : ROUTES) {
      PathItem item = openApi.getPaths().computeIfAbsent(route.path(), p -> new PathItem());
      if (item.readOperationsMap().containsKey(route.method())) {
        continue;
      }
      Operation operation = operation(route);
      if (route.body() != null) {
        operation.requestBody(body(openApi, route.body()));
      } else if (route.path().equals(PROJECT_ENV) && route.method() == PathItem.HttpMethod.PUT) {
        Schema<?> variables = new ObjectSchema().additionalProperties(new StringSchema());
        operation.requestBody(
            new RequestBody()
                .required(true)
                .content(
                    new Content()
                        .addMediaType("application/json", new MediaType().schema(variables))));
      } else if (route.path().startsWith("/api/v1/projects/")
          && route.method() == PathItem.HttpMethod.PUT) {
        Schema<?> archive = new StringSchema().format("binary");
        operation.requestBody(
            new RequestBody()
                .required(true)
                .content(
                    new Content()
                        .addMediaType("application/gzip", new MediaType().schema(archive))
                        .addMediaType(
                            "application/octet-stream", new MediaType().schema(archive))));
      }
      item.operation(route.method(), operation);
    }
  }

  /** A JSON request body of the given type, its schema generated from the type. */
  private static RequestBody body(OpenAPI openApi, Class<?> type) {
    ResolvedSchema resolved = ModelConverters.getInstance().readAllAsResolvedSchema(type);
    if (openApi.getComponents() == null) {
      openApi.setComponents(new Components());
    }
    resolved.referencedSchemas.forEach(openApi.getComponents()::addSchemas);
    String name = resolved.schema.getName();
    openApi.getComponents().addSchemas(name, resolved.schema);
    return new RequestBody()
        .required(true)
        .content(
            new Content()
                .addMediaType(
                    "application/json",
                    new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + name))));
  }

  private static Operation operation(Route route) {
    Operation operation =
        new Operation()
            .summary(route.summary())
            .addTagsItem(route.tag())
            .operationId(operationId(route));
    Matcher variables = PATH_VARIABLE.matcher(route.path());
    while (variables.find()) {
      operation.addParametersItem(
          new PathParameter().name(variables.group(1)).schema(new StringSchema()));
    }
    for (String name : route.query().split(",")) {
      if (!name.isBlank()) {
        Parameter query = new QueryParameter().name(name).required(false);
        operation.addParametersItem(query.schema(new StringSchema()));
      }
    }
    ApiResponses responses = new ApiResponses();
    responses.addApiResponse(
        route.status(),
        new ApiResponse()
            .description("answered by the owning service, see docs/api.md")
            .content(
                new Content()
                    .addMediaType(
                        route.mediaType(),
                        new MediaType()
                            .schema(
                                route.mediaType().equals("application/json")
                                    ? new ObjectSchema()
                                    : new StringSchema()))));
    responses.addApiResponse(
        "default",
        new ApiResponse()
            .description("an RFC 9457 problem detail")
            .content(
                new Content()
                    .addMediaType(
                        "application/problem+json", new MediaType().schema(new ObjectSchema()))));
    return operation.responses(responses);
  }

  private static String operationId(Route route) {
    String words =
        route
            .path()
            .replace("/api/v1/", "")
            .replaceAll("[{}]", "")
            .replaceAll("[^A-Za-z0-9]+", " ");
    StringBuilder id = new StringBuilder(route.method().name().toLowerCase(java.util.Locale.ROOT));
    for (String word : words.strip().split(" ")) {
      id.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
    }
    return id.toString();
  }
}
