package com.dante.cacciaguida.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The versioning suite on the filesystem backend, plus key shapes the test S3 server cannot hold. */
@DisplayName("Versioning and lifecycle on the filesystem backend")
class FilesystemVersioningTest extends VersioningApiContract {

  @Override
  protected Map<String, String> backendSettings(Path dir) {
    return Map.of("STORAGE_STORAGE_BACKEND", "filesystem");
  }

  @Test
  @DisplayName("A key with a segment too long for a file name keeps versions and lists under its own name")
  void longSegment() {
    service.request(io.vertx.core.http.HttpMethod.PUT, "/buckets/" + bucket + "/versioning")
        .sendJsonObject(new JsonObject().put("status", "Enabled")).await();
    String key = "long/" + "x".repeat(400);
    String first = service.put("/objects/" + bucket + "/" + key, Buffer.buffer("first")).bodyAsJsonObject()
        .getString("versionId");
    service.put("/objects/" + bucket + "/" + key, Buffer.buffer("second"));
    assertEquals("second", service.get("/objects/" + bucket + "/" + key).bodyAsString());
    assertEquals("first", service.get("/objects/" + bucket + "/" + key + "?versionId=" + first).bodyAsString());
    assertEquals(List.of(key), service.get("/objects/" + bucket + "/list").bodyAsJsonArray().stream()
        .map(o -> ((JsonObject) o).getString("key")).toList());
  }

  @Test
  @DisplayName("Versions of a deeper key sorting among a key's own versions do not confuse which is latest")
  void interleavedKeys() {
    service.request(io.vertx.core.http.HttpMethod.PUT, "/buckets/" + bucket + "/versioning")
        .sendJsonObject(new JsonObject().put("status", "Enabled")).await();
    String older = service.put("/objects/" + bucket + "/a", Buffer.buffer("1")).bodyAsJsonObject()
        .getString("versionId");
    String newer = service.put("/objects/" + bucket + "/a", Buffer.buffer("2")).bodyAsJsonObject()
        .getString("versionId");
    int common = 0;
    while (older.charAt(common) == newer.charAt(common)) {
      common++;
    }
    // sorts after the newer version and before the older one: its versions land between a's
    String deeper = "a/" + older.substring(0, common + 1);
    service.put("/objects/" + bucket + "/" + deeper, Buffer.buffer("deep"));
    JsonArray versions = service.get("/objects/" + bucket + "/list?versions=true&prefix=a").bodyAsJsonArray();
    assertEquals(List.of("a", deeper, "a"), versions.stream().map(o -> ((JsonObject) o).getString("key")).toList());
    assertEquals(List.of(true, true, false),
        versions.stream().map(o -> ((JsonObject) o).getBoolean("isLatest")).toList());
    assertEquals(List.of(newer, older), List.of(versions.getJsonObject(0).getString("versionId"),
        versions.getJsonObject(2).getString("versionId")));
    assertEquals("2", service.get("/objects/" + bucket + "/a").bodyAsString());
    assertEquals("deep", service.get("/objects/" + bucket + "/" + deeper).bodyAsString());
  }
}
