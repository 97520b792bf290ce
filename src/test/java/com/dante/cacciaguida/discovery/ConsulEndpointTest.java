package com.dante.cacciaguida.discovery;

import com.dante.cacciaguida.config.ConfigException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsulEndpointTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "localhost:8500, localhost, 8500, false",
      "consul, consul, 8500, false",
      "10.0.0.5:18500, 10.0.0.5, 18500, false",
      "[::1]:8500, ::1, 8500, false",
      "http://consul:8500, consul, 8500, false",
      "http://consul:8500/some/path, consul, 8500, false",
      "https://consul.example.com, consul.example.com, 443, true",
      "http://consul.example.com/, consul.example.com, 80, false",
      "HTTPS://consul:8501, consul, 8501, true"})
  @DisplayName("consul.address accepts host:port, a bare host or an http(s) URL whose path is ignored")
  void parses(String address, String host, int port, boolean ssl) {
    assertEquals(new ConsulEndpoint(host, port, ssl), ConsulEndpoint.parse(address));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://consul:21", "consul:port", "consul:0", ":8500", "http://:8500"})
  @DisplayName("an address that names no usable agent is refused with its value in the message")
  void refuses(String address) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConsulEndpoint.parse(address));
    assertTrue(e.getMessage().contains("consul.address") && e.getMessage().contains(address), e.getMessage());
  }
}
