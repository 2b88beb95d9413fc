package io.gridrun.gateway.outbound;

import java.net.UnknownHostException;

/**
 * A host that resolves to an address the gateway must not reach. An {@link UnknownHostException},
 * so that a connection attempt fails as for an unknown host, before any socket is opened.
 */
public class RefusedAddressException extends UnknownHostException {

  public RefusedAddressException(String message) {
    super(message);
  }
}
