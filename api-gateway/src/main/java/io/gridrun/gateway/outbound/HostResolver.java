package io.gridrun.gateway.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Name resolution, a seam so that tests can make a host resolve differently each time. */
@FunctionalInterface
public interface HostResolver {

  HostResolver SYSTEM = InetAddress::getAllByName;

  InetAddress[] resolve(String host) throws UnknownHostException;
}
