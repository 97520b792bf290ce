package com.dante.cacciaguida.http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The API suite on the S3 backend, against S3Proxy (a real S3-protocol server with SigV4) on loopback. */
@DisplayName("HTTP API on the S3 backend (S3Proxy)")
class S3ApiTest extends ObjectApiContract {

  private final S3ProxyBackend s3 = new S3ProxyBackend();

  @Override
  protected Map<String, String> backendSettings(Path dir) {
    return s3.settings();
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
    s3.close();
  }
}
