package io.gridrun.gateway;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The gateway on a real embedded Kafka broker and a MongoDB wire-protocol server. Test classes
 * extend {@link WithMongo} and carry this annotation.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=api-gateway",
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "gridrun.kafka.partitions=3",
      "gridrun.gateway.events.client-buffer=50",
      "gridrun.gateway.events.stall-timeout=3s",
      "gridrun.gateway.events.max-lag=20000",
      "gridrun.gateway.webhooks.initial-backoff=100ms",
      "gridrun.gateway.webhooks.timeout=1s",
      "gridrun.gateway.webhooks.retry-for=5s",
      // the tests' webhook receivers listen on this machine
      "gridrun.webhooks.allowed-hosts=127.0.0.1",
      "gridrun.storage.logs=${java.io.tmpdir}/gridrun-gateway-test-logs",
      "gridrun.security.admin-token=" + GatewayIntegrationTest.ADMIN_TOKEN,
      "gridrun.security.allowed-origins=https://gridrun.example.com",
      "gridrun.security.allowed-hosts=localhost,127.0.0.1"
    })
@EmbeddedKafka(partitions = 3)
public @interface GatewayIntegrationTest {

  /** The admin token every gateway under test accepts; tests send it as {@code Bearer}. */
  String ADMIN_TOKEN = "test-admin-token";

  /** The same token under the name the input-validation tests use. */
  String TOKEN = ADMIN_TOKEN;

  /** The {@code Authorization} header value of {@link #ADMIN_TOKEN}. */
  String ADMIN_BEARER = "Bearer " + ADMIN_TOKEN;

  /** One in-memory MongoDB protocol server per test JVM. */
  abstract class WithMongo {
    private static final MongoServer MONGO = new MongoServer(new MemoryBackend());
    private static final String URI = "mongodb://localhost:" + bind() + "/gridrun-gateway";

    private static int bind() {
      MONGO.bind("127.0.0.1", 0);
      return MONGO.getLocalAddress().getPort();
    }

    @DynamicPropertySource
    static void mongo(DynamicPropertyRegistry registry) {
      registry.add("spring.mongodb.uri", () -> URI);
    }
  }
}
