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
    return Map.of(
        "STORAGE_STORAGE_BACKEND", "s3",
        "STORAGE_MINIO_ENDPOINT", "127.0.0.1:" + s3.port(),
        "STORAGE_MINIO_ACCESSKEYID", S3ProxyServer.ACCESS_KEY,
        "STORAGE_MINIO_SECRETACCESSKEY", S3ProxyServer.SECRET_KEY,
        "STORAGE_MINIO_REGION", S3ProxyServer.REGION);
  }

  @AfterAll
  void stopS3() throws Exception {
    if (s3 != null) {
      s3.close();
    }
  }
}
