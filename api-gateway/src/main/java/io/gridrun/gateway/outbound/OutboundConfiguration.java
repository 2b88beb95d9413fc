package io.gridrun.gateway.outbound;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OutboundConfiguration {

  @Bean
  AddressGuard addressGuard(OutboundProperties properties) {
    return new AddressGuard(HostResolver.SYSTEM, properties.allowedHosts());
  }
}
