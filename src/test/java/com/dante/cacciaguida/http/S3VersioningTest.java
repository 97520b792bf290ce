package com.dante.cacciaguida.http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;

import java.nio.file.Path;
import java.util.Map;

/** S3Proxy has no versioning of its own: everything here is the service's. */
@DisplayName("Versioning and lifecycle on the S3 backend (S3Proxy)")
class S3VersioningTest extends VersioningApiContract {

  private final S3ProxyBackend s3 = new S3ProxyBackend();

  @Override
  protected Map<String, String> backendSettings(Path dir) {
    return s3.settings();
  }

  @AfterAll
  void stopS3() throws Exception {
    s3.close();
  }
}
