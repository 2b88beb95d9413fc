package io.gridrun.gateway.proxy;

import io.gridrun.gateway.config.GatewayProperties;
import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Routes reads and owner-managed resources to the service that owns them. Hidden from the OpenAPI
 * document, which lists these routes one by one ({@code apidocs.ForwardedRoutes}).
 */
@Hidden
@RestController
class ProxyController {

  private final ServiceProxy proxy;
  private final GatewayProperties properties;

  ProxyController(ServiceProxy proxy, GatewayProperties properties) {
    this.proxy = proxy;
    this.properties = properties;
  }

  /** Jobs, their runs and results are job-service's. */
  @GetMapping({"/api/v1/jobs", "/api/v1/jobs/**", "/api/v1/runs/**"})
  Mono<ResponseEntity<byte[]>> jobService(ServerHttpRequest request) {
    return proxy.forward(properties.jobServiceUrl(), request);
  }

  /** Job and run control is job-service's: it checks the transition and answers 202 or 409. */
  @PostMapping({
    "/api/v1/jobs/{id}/cancel",
    "/api/v1/jobs/{id}/pause",
    "/api/v1/jobs/{id}/resume",
    "/api/v1/jobs/{id}/trigger",
    "/api/v1/jobs/{id}/rerun-failed",
    "/api/v1/runs/{id}/cancel"
  })
  Mono<ResponseEntity<byte[]>> jobControl(ServerHttpRequest request) {
    return proxy.forward(properties.jobServiceUrl(), request);
  }

  @DeleteMapping("/api/v1/jobs/{id}")
  Mono<ResponseEntity<byte[]>> deleteJob(ServerHttpRequest request) {
    return proxy.forward(properties.jobServiceUrl(), request);
  }

  /** Environments, projects and snapshots are snapshot-service's. */
  @RequestMapping({
    "/api/v1/environments",
    "/api/v1/environments/**",
    "/api/v1/projects",
    "/api/v1/projects/**",
    "/api/v1/snapshots/**"
  })
  Mono<ResponseEntity<byte[]>> snapshotService(ServerHttpRequest request) {
    return proxy.forward(properties.snapshotServiceUrl(), request);
  }
}
