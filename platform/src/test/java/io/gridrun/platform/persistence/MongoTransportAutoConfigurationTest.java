package io.gridrun.platform.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoClientSettings;
import com.mongodb.connection.NettyTransportSettings;
import com.mongodb.connection.TransportSettings;
import com.mongodb.reactivestreams.client.MongoClient;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.gridrun.platform.persistence.MongoTransportAutoConfiguration.MongoEventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.mongodb.autoconfigure.MongoReactiveAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Mono;

/** The driver runs on the platform's event loop group, which stops with the client. */
class MongoTransportAutoConfigurationTest {

  private static MongoServer server;
  private static String uri;

  private final ApplicationContextRunner contexts =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  MongoTransportAutoConfiguration.class, MongoReactiveAutoConfiguration.class));

  @BeforeAll
  static void startServer() {
    server = new MongoServer(new MemoryBackend());
    InetSocketAddress address = server.bind();
    uri = "mongodb://127.0.0.1:" + address.getPort() + "/transport";
  }

  @AfterAll
  static void stopServer() {
    server.shutdownNow();
  }

  @Test
  void theClientReachesTheConfiguredServerOnThePlatformsGroupWhichStopsWithIt() {
    EventLoopGroup[] group = new EventLoopGroup[1];
    contexts
        .withPropertyValues("spring.mongodb.uri=" + uri)
        .run(
            context -> {
              group[0] = context.getBean(MongoEventLoop.class).group();
              TransportSettings transport =
                  context.getBean(MongoClientSettings.class).getTransportSettings();
              assertThat(transport).isInstanceOf(NettyTransportSettings.class);
              assertThat(((NettyTransportSettings) transport).getEventLoopGroup())
                  .isSameAs(group[0]);
              // Boot's connection string still applies: nothing answers at the default address
              MongoClient client = context.getBean(MongoClient.class);
              Mono.from(
                      client
                          .getDatabase("transport")
                          .getCollection("probe")
                          .insertOne(new Document("_id", "reached")))
                  .block(Duration.ofSeconds(10));
              assertThat(group[0].isShuttingDown()).isFalse();
            });
    assertThat(group[0].isTerminated()).isTrue();
  }

  @Test
  void settingsWithATransportOfTheirOwnAreLeftAlone() {
    EventLoopGroup own = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      MongoClientSettings settings =
          MongoClientSettings.builder()
              .transportSettings(TransportSettings.nettyBuilder().eventLoopGroup(own).build())
              .build();
      contexts
          .withPropertyValues("spring.mongodb.uri=" + uri)
          .withBean(MongoClientSettings.class, () -> settings)
          .run(
              context ->
                  assertThat(
                          ((NettyTransportSettings)
                                  context.getBean(MongoClientSettings.class).getTransportSettings())
                              .getEventLoopGroup())
                      .isSameAs(own));
      assertThat(own.isShuttingDown()).isFalse();
    } finally {
      own.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }
}
