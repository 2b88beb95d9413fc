package io.gridrun.platform.persistence;

import com.mongodb.MongoClientSettings;
import com.mongodb.connection.TransportSettings;
import com.mongodb.reactivestreams.client.MongoClient;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * The reactive MongoDB driver's Netty threads, stopped without a quiet period.
 *
 * <p>Spring Boot gives the driver an event loop group of its own and stops it with Netty's default
 * graceful shutdown, which waits 2 s for tasks that never come once the client is closed. Every
 * service paid it when it stopped; {@code ./gridrun local}, whose services stop one after the
 * other, paid it three times (issue 19 §5). Boot's own client settings (with the connection string
 * its customisers add) get this group as their transport instead, which Boot then leaves alone.
 */
@AutoConfiguration(
    beforeName = "org.springframework.boot.mongodb.autoconfigure.MongoReactiveAutoConfiguration")
@ConditionalOnClass({MongoClient.class, NioIoHandler.class})
public class MongoTransportAutoConfiguration {

  static final String LOOP = "mongoEventLoop";

  @Bean(LOOP)
  MongoEventLoop mongoEventLoop() {
    return new MongoEventLoop(new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory()));
  }

  @Bean
  static BeanPostProcessor mongoTransportOnTheLoop() {
    return new TransportOnTheLoop();
  }

  /** The group, stopped once the client that uses it is closed. */
  public record MongoEventLoop(EventLoopGroup group) implements DisposableBean {

    /** Longest wait for the client's last tasks (closing its connections) to run. */
    private static final long STOP_TIMEOUT_SECONDS = 10;

    @Override
    public void destroy() {
      group.shutdownGracefully(0, STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS).awaitUninterruptibly();
    }
  }

  /** Gives client settings without a transport of their own the group above. */
  static final class TransportOnTheLoop implements BeanPostProcessor, BeanFactoryAware {

    private ConfigurableBeanFactory beans;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
      this.beans = (ConfigurableBeanFactory) beanFactory;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String name) {
      if (!(bean instanceof MongoClientSettings settings)
          || settings.getTransportSettings() != null) {
        return bean;
      }
      MongoEventLoop loop = beans.getBean(LOOP, MongoEventLoop.class);
      // the group is stopped after the settings and so after the client built from them
      beans.registerDependentBean(LOOP, name);
      return MongoClientSettings.builder(settings)
          .transportSettings(TransportSettings.nettyBuilder().eventLoopGroup(loop.group()).build())
          .build();
    }
  }
}
