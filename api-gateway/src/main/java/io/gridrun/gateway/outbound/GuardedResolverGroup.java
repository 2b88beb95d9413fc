package io.gridrun.gateway.outbound;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Netty name resolution through the {@link AddressGuard}: the connection is opened to the very
 * address that was checked, so a host whose DNS answer changes between the check and the connection
 * (DNS rebinding) cannot lead the gateway inside the network.
 */
public final class GuardedResolverGroup extends AddressResolverGroup<InetSocketAddress> {

  private final AddressGuard guard;

  public GuardedResolverGroup(AddressGuard guard) {
    this.guard = guard;
  }

  @Override
  protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
    return new InetNameResolver(executor) {
      @Override
      protected void doResolve(String host, Promise<InetAddress> promise) {
        try {
          promise.setSuccess(guard.check(host).get(0));
        } catch (Exception e) {
          promise.setFailure(e);
        }
      }

      @Override
      protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
        try {
          promise.setSuccess(guard.check(host));
        } catch (Exception e) {
          promise.setFailure(e);
        }
      }
    }.asAddressResolver();
  }
}
