package com.dante.cacciaguida.http;

import com.dante.cacciaguida.storage.s3.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The API suite on the S3 backend, against S3Proxy (a real S3-protocol server with SigV4) on loopback. */
@DisplayName("HTTP API on the S3 backend (S3Proxy)")
class S3ApiTest extends ObjectApiContract {

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

  @Override
  protected boolean holdsAnyKeyShape() {
    return false;
  }

  @Override
  protected void assertNoLeftovers(String bucket) {
    assertEquals(0, s3.client().listMultipartUploads(b -> b.bucket(bucket)).uploads().size(),
        "multipart uploads left in " + bucket);
  }

  @AfterAll
  void stopS3() throws Exception {
    if (s3 != null) {
      s3.close();
    }
  }
}
