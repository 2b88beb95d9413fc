package io.gridrun.platform.health;

import com.mongodb.reactivestreams.client.MongoClient;
import org.bson.Document;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Mono;

/**
 * MongoDB health by {@code ping}, which real MongoDB and mongo-java-server both answer; Spring
 * Boot's own check sends {@code hello}, which mongo-java-server does not know, so the services turn
 * that one off ({@code management.health.mongodb.enabled: false}).
 */
@AutoConfiguration(
    afterName = "org.springframework.boot.mongodb.autoconfigure.MongoReactiveAutoConfiguration")
@ConditionalOnClass(MongoClient.class)
public class MongoPingHealthAutoConfiguration {

  @Bean
  @ConditionalOnBean(MongoClient.class)
  ReactiveHealthIndicator mongoPingHealthIndicator(MongoClient client) {
    return () ->
        Mono.from(client.getDatabase("admin").runCommand(new Document("ping", 1)))
            .map(answer -> Health.up().build())
            .onErrorResume(e -> Mono.just(Health.down(e).build()));
  }
}
