package com.dante.cacciaguida.http;

import com.dante.cacciaguida.storage.s3.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;

import java.nio.file.Path;
import java.util.Map;

/** S3Proxy has no versioning of its own: everything here is the service's. */
@DisplayName("Versioning and lifecycle on the S3 backend (S3Proxy)")
class S3VersioningTest extends VersioningApiContract {

  private S3ProxyServer s3;

  @Override
  protected Map<String, String> backendSettings(Path dir) {
    try {
      s3 = S3ProxyServer.start();
    } catch (Exception e) {
      throw new IllegalStateException("S3Proxy did not start", e);
    }
    return s3.serviceSettings();
  }

  @AfterAll
  void stopS3() throws Exception {
    if (s3 != null) {
      s3.close();
    }
  }
}
