package io.gridrun.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of the api-gateway. Its configuration file is {@code api-gateway.yml}. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

  /** Name of this service's configuration file, so that services can share one class path. */
  public static final String CONFIG_NAME = "api-gateway";

  public static void main(String[] args) {
    application().run(args);
  }

  public static SpringApplication application() {
    SpringApplication application = new SpringApplication(GatewayApplication.class);
    application.setDefaultProperties(java.util.Map.of("spring.config.name", CONFIG_NAME));
    return application;
  }
}
