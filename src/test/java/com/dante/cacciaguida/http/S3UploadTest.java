package com.dante.cacciaguida.http;

import com.dante.cacciaguida.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Multipart uploads on the S3 backend, against S3Proxy on loopback. */
@DisplayName("Multipart uploads on the S3 backend (S3Proxy)")
class S3UploadTest extends UploadApiContract {

  /** Where the S3 backend keeps uploads until they are complete and verified. */
  private static final String STAGING_PREFIX = ".cacciaguida-uploads/";

  private final S3ProxyBackend s3 = new S3ProxyBackend();

  @Override
  protected Map<String, String> backendSettings(Path dir) {
    return s3.settings();
  }

  @Override
  protected void assertUploadGone(TestService service, String bucket, String uploadId) {
    assertEquals(0, s3.client().listMultipartUploads(b -> b.bucket(bucket)).uploads().size(),
        "multipart uploads left in " + bucket);
    assertEquals(0, s3.client().listObjectsV2(b -> b.bucket(bucket).prefix(STAGING_PREFIX)).contents().size(),
        "staging objects left in " + bucket);
  }

  @AfterAll
  void stopS3() throws Exception {
    s3.close();
  }
}
