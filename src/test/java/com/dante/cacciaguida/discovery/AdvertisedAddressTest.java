package com.dante.cacciaguida.discovery;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdvertisedAddressTest {

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "::", "[::]", " 0.0.0.0 "})
  @DisplayName("a wildcard server.host is replaced by a concrete IPv4 address, never the wildcard")
  void wildcardIsNeverAdvertised(String serverHost) throws Exception {
    String address = AdvertisedAddress.resolve("", serverHost);
    InetAddress parsed = InetAddress.getByName(address);
    assertFalse(parsed.isAnyLocalAddress(), address);
    assertEquals(4, parsed.getAddress().length, address);
    assertEquals(AdvertisedAddress.firstSiteAddress().orElse(AdvertisedAddress.LOOPBACK), address);
  }

  @Test
  @DisplayName("a wildcard in consul.registration.address is not advertised either")
  void wildcardRegistrationAddressFallsThrough() {
    assertEquals("10.1.2.3", AdvertisedAddress.resolve("0.0.0.0", "10.1.2.3"));
  }

  @Test
  @DisplayName("consul.registration.address wins over server.host")
  void configuredAddressWins() {
    assertEquals("storage-1.internal", AdvertisedAddress.resolve("storage-1.internal", "10.1.2.3"));
  }

  @Test
  @DisplayName("a specific server.host is advertised as it is")
  void specificServerHost() {
    assertEquals("192.168.7.9", AdvertisedAddress.resolve("", "192.168.7.9"));
    assertEquals("192.168.7.9", AdvertisedAddress.resolve(null, "192.168.7.9"));
  }

  @Test
  @DisplayName("the interface scan skips loopback, link-local and IPv6 addresses")
  void firstIpv4SkipsUnroutable() throws Exception {
    List<InetAddress> addresses = List.of(
        InetAddress.getByName("127.0.0.1"),
        InetAddress.getByName("169.254.10.1"),
        InetAddress.getByName("fe80::1"),
        InetAddress.getByName("2001:db8::1"),
        InetAddress.getByName("10.20.30.40"),
        InetAddress.getByName("10.20.30.41"));
    assertEquals(Optional.of("10.20.30.40"), AdvertisedAddress.firstIpv4(addresses));
    assertTrue(AdvertisedAddress.firstIpv4(addresses.subList(0, 4)).isEmpty());
  }
}
