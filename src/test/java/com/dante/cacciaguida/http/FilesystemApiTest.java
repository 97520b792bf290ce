package com.dante.cacciaguida.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API suite on the filesystem backend, plus what only the filesystem can show. */
@DisplayName("HTTP API on the filesystem backend")
class FilesystemApiTest extends ObjectApiContract {

  @Override
  protected Map<String, String> backendSettings(Path dir) {
    return Map.of("STORAGE_STORAGE_BACKEND", "filesystem");
  }

  @Override
  protected void assertNoLeftovers(String bucket) throws Exception {
    Path tmp = dir.resolve("data").resolve(".tmp");
    try (Stream<Path> files = Files.exists(tmp) ? Files.list(tmp) : Stream.empty()) {
      assertEquals(0, files.count(), "temp files left in " + tmp);
    }
  }

  @Test
  @DisplayName("No key, however encoded, creates anything outside the storage root")
  void nothingEscapesTheRoot() throws Exception {
    Path outside = dir.resolve("outside");
    Files.createDirectories(outside);
    for (String key : new String[] {"%2e%2e/%2e%2e/outside/x", "..%2F..%2Foutside%2Fy", "a/%2e%2e%2f%2e%2e/z",
        "%252e%252e/%252e%252e/outside/w"}) {
      service.put("/objects/" + bucket + "/" + key, Buffer.buffer("escape"));
    }
    try (Stream<Path> files = Files.list(outside)) {
      assertEquals(0, files.count());
    }
    try (Stream<Path> all = Files.walk(dir)) {
      assertTrue(all.filter(Files::isRegularFile)
          .allMatch(p -> p.startsWith(dir.resolve("data")) || p.getFileName().toString().equals("config.yaml")));
    }
  }

  @Test
  @DisplayName("A presigned URL that is altered, used with another method, or expired is 403")
  void presignedUrlRejections() throws Exception {
    service.put("/objects/" + bucket + "/guarded", Buffer.buffer("guarded"));
    String url = presign("/presigned-url/" + bucket + "/guarded", new JsonObject().put("method", "GET"))
        .getString("url");
    String path = url.substring(url.indexOf("/objects/"));
    assertError(service.get(path.replace("guarded?", "guarded2?")), 403, "SignatureDoesNotMatch");
    assertError(service.request(HttpMethod.PUT, path).sendBuffer(Buffer.buffer("x")).await(), 403,
        "SignatureDoesNotMatch");
    String tampered = path.substring(0, path.length() - 1) + (path.endsWith("0") ? "1" : "0");
    assertError(service.get(tampered), 403, "SignatureDoesNotMatch");
    String shortLived = presign("/presigned-url/" + bucket + "/guarded",
        new JsonObject().put("method", "GET").put("expiry", "1s")).getString("url");
    Thread.sleep(2100);
    HttpResponse<Buffer> expired = service.get(shortLived.substring(shortLived.indexOf("/objects/")));
    assertError(expired, 403, "ExpiredPresignedUrl");
  }
}
