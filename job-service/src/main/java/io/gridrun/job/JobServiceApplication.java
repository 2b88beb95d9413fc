package io.gridrun.job;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of the job-service. Its configuration file is {@code job-service.yml}. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class JobServiceApplication {

  /** Name of this service's configuration file, so that services can share one class path. */
  public static final String CONFIG_NAME = "job-service";

  public static void main(String[] args) {
    application().run(args);
  }

  public static SpringApplication application() {
    SpringApplication application = new SpringApplication(JobServiceApplication.class);
    application.setDefaultProperties(java.util.Map.of("spring.config.name", CONFIG_NAME));
    return application;
  }
}
