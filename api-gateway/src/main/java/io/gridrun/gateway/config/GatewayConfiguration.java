package io.gridrun.gateway.config;

import io.gridrun.storage.logs.StepLogStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

@Configuration(proxyBeanMethods = false)
class GatewayConfiguration {

  private static final int MAX_PROXIED_BODY_BYTES = 64 * 1024 * 1024;

  @Bean
  WebClient serviceClient() {
    return WebClient.builder()
        .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(MAX_PROXIED_BODY_BYTES))
        .build();
  }

  @Bean
  StepLogStore stepLogStore(StorageProperties storage) {
    return new StepLogStore(storage.logs());
  }
}
