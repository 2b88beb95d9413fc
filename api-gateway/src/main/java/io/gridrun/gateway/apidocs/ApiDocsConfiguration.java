package io.gridrun.gateway.apidocs;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI 3 document of the public API at {@code /v3/api-docs} (springdoc, generated from the
 * controllers and their request and response records) and Swagger UI at {@code /api/docs}. Both are
 * open: the document holds no data. The routes the gateway forwards to the owning service are added
 * by {@link ForwardedRoutes}.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocsConfiguration {

  static final String BEARER = "bearer";

  @Bean
  OpenAPI gridrunOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("gridrun API")
                .version("v1")
                .description(
                    "Parametrized pipeline jobs in containers. Every request needs"
                        + " `Authorization: Bearer <token>`; errors are RFC 9457 problem details."
                        + " See docs/api.md.")
                .license(new License().name("gridrun")))
        .components(
            new Components()
                .addSecuritySchemes(
                    BEARER,
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description("an API token (grt_…) or the admin token")))
        .addSecurityItem(new SecurityRequirement().addList(BEARER));
  }

  @Bean
  OpenApiCustomizer forwardedRoutes() {
    return ForwardedRoutes::addTo;
  }
}
