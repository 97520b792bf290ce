package com.dante.cacciaguida.discovery;

import com.dante.cacciaguida.config.ConfigException;
import io.vertx.ext.consul.ConsulClientOptions;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where the Consul agent listens, from {@code consul.address}: {@code host:port}, a bare host (port 8500) or a
 * URL ({@code http://consul:8500}, {@code https://consul.example.com}); a URL's path is ignored because the
 * agent's HTTP API always lives under {@code /v1}.
 */
record ConsulEndpoint(String host, int port, boolean ssl) {

  static final int DEFAULT_PORT = 8500;
  static final String KEY = "consul.address";

  static ConsulEndpoint parse(String address) {
    String value = address.trim();
    if (value.contains("://")) {
      return fromUrl(value);
    }
    return fromHostPort(value);
  }

  ConsulClientOptions clientOptions(String aclToken, long requestTimeoutMillis) {
    ConsulClientOptions options = new ConsulClientOptions()
        .setHost(host)
        .setPort(port)
        .setSsl(ssl)
        .setTimeout(requestTimeoutMillis);
    if (aclToken != null && !aclToken.isBlank()) {
      options.setAclToken(aclToken);
    }
    return options;
  }

  private static ConsulEndpoint fromUrl(String value) {
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new ConfigException(KEY, value, "not a valid URL");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new ConfigException(KEY, value, "a URL must use http or https");
    }
    if (uri.getHost() == null) {
      throw new ConfigException(KEY, value, "the URL has no host");
    }
    boolean ssl = scheme.equals("https");
    int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
    return new ConsulEndpoint(unbracket(uri.getHost()), port, ssl);
  }

  private static ConsulEndpoint fromHostPort(String value) {
    int colon = value.lastIndexOf(':');
    boolean bracketedIpv6 = value.startsWith("[");
    if (colon < 0 || (bracketedIpv6 && colon < value.indexOf(']'))) {
      return new ConsulEndpoint(unbracket(value), DEFAULT_PORT, false);
    }
    String host = value.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new ConfigException(KEY, value, "invalid port");
    }
    if (host.isEmpty() || port < 1 || port > 65535) {
      throw new ConfigException(KEY, value, "expected host:port or a URL");
    }
    return new ConsulEndpoint(unbracket(host), port, false);
  }

  private static String unbracket(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
