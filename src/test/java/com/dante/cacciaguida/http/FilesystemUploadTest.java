package com.dante.cacciaguida.http;

import com.dante.cacciaguida.TestService;
import org.junit.jupiter.api.DisplayName;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Multipart uploads on the filesystem backend: parts under {@code <root>/.uploads}, temp files in .tmp. */
@DisplayName("Multipart uploads on the filesystem backend")
class FilesystemUploadTest extends UploadApiContract {

  @Override
  protected Map<String, String> backendSettings(Path dir) {
    return Map.of("STORAGE_STORAGE_BACKEND", "filesystem");
  }

  @Override
  protected void assertUploadGone(TestService service, String bucket, String uploadId) throws Exception {
    Path root = service.app().config().filesystem().root();
    assertFalse(Files.exists(root.resolve(".uploads").resolve(uploadId)), "the upload's directory is left");
    Path tmp = root.resolve(".tmp");
    try (Stream<Path> files = Files.exists(tmp) ? Files.list(tmp) : Stream.empty()) {
      assertEquals(0, files.count(), "temp files left in " + tmp);
    }
  }
}
