package io.gridrun.local;

import java.time.Duration;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Gives a service of a stack that shares this JVM Reactor Netty resources of its own (event loops,
 * connection pool), stopped with the service and without Netty's 2 s quiet period.
 *
 * <p>Spring Boot's default is Reactor Netty's global resources, which the first service to stop
 * disposes for all: with the quiet period the others' servers limped on until it ran out, and every
 * service waited it in turn (an idle {@code ./gridrun local} took 13 s to stop); without it, the
 * others' graceful shutdowns waited on dead event loops until their 30 s timeout. Boot's own
 * factory is left out ({@code @ConditionalOnMissingBean}). A service alone in its JVM (compose,
 * Kubernetes) keeps Boot's default.
 */
final class OwnNettyResources
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    if (context instanceof GenericApplicationContext generic) {
      generic.registerBean(
          "reactorResourceFactory", ReactorResourceFactory.class, OwnNettyResources::factory);
    }
  }

  static ReactorResourceFactory factory() {
    ReactorResourceFactory factory = new ReactorResourceFactory();
    factory.setUseGlobalResources(false);
    factory.setShutdownQuietPeriod(Duration.ZERO);
    return factory;
  }
}
