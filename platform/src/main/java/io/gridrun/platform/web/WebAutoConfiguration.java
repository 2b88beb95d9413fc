package io.gridrun.platform.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import reactor.netty.http.server.HttpServer;

/** Problem details for every service's HTTP endpoints, and a server that keeps reading. */
@AutoConfiguration
@Import(ProblemDetailsAdvice.class)
public class WebAutoConfiguration {

  @Bean
  @ConditionalOnClass(HttpServer.class)
  KeepAliveReadResume keepAliveReadResume() {
    return new KeepAliveReadResume();
  }
}
