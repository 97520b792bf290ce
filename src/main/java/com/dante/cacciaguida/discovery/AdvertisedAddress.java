package com.dante.cacciaguida.discovery;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The address other machines use to reach this service: what Consul advertises and what presigned URLs name.
 * A wildcard bind address ({@code 0.0.0.0}, {@code ::}) is where the server listens, never where anyone can
 * connect, so it is replaced by the host's first non-loopback IPv4 address of an interface that is up.
 *
 * <p>Enumerating network interfaces is a local system call, fast but not free: resolve once at startup, off the
 * event loop.
 */
public final class AdvertisedAddress {

  static final String LOOPBACK = "127.0.0.1";

  private AdvertisedAddress() {
  }

  /**
   * @param configured the explicit address to advertise ({@code consul.registration.address}); blank when unset
   * @param serverHost the address the HTTP server binds ({@code server.host})
   */
  public static String resolve(String configured, String serverHost) {
    if (isUsable(configured)) {
      return configured.trim();
    }
    if (isUsable(serverHost)) {
      return serverHost.trim();
    }
    return firstSiteAddress().orElse(LOOPBACK);
  }

  private static boolean isUsable(String address) {
    return address != null && !address.isBlank() && !isWildcard(address.trim());
  }

  static boolean isWildcard(String address) {
    return address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]")
        || address.equals("0:0:0:0:0:0:0:0");
  }

  /** The first IPv4 address of an up, non-loopback interface that is not link-local. */
  static Optional<String> firstSiteAddress() {
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        Optional<String> found = firstIpv4(Collections.list(nic.getInetAddresses()));
        if (found.isPresent()) {
          return found;
        }
      }
    } catch (SocketException e) {
      // no interfaces to look at: the loopback fallback below is the only honest answer
    }
    return Optional.empty();
  }

  static Optional<String> firstIpv4(List<InetAddress> addresses) {
    return addresses.stream()
        .filter(a -> a instanceof Inet4Address)
        .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress() && !a.isAnyLocalAddress())
        .map(InetAddress::getHostAddress)
        .findFirst();
  }
}
