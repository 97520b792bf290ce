package com.dante.cacciaguida.http;

import com.dante.cacciaguida.storage.s3.S3ProxyServer;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.Map;

/**
 * The S3Proxy behind an API contract's S3 subclass. It starts when the contract first asks for the backend's
 * settings: that happens in the contract's own {@code @BeforeAll}, before any of the subclass's would run.
 */
final class S3ProxyBackend implements AutoCloseable {

  private S3ProxyServer server;

  /** The service's settings for this S3Proxy, starting it on the first call. */
  Map<String, String> settings() {
    if (server == null) {
      try {
        server = S3ProxyServer.start();
      } catch (Exception e) {
        throw new IllegalStateException("S3Proxy did not start", e);
      }
    }
    return server.serviceSettings();
  }

  /** A client of S3Proxy's own, for assertions. */
  S3Client client() {
    return server.client();
  }

  @Override
  public void close() throws Exception {
    if (server != null) {
      server.close();
    }
  }
}
