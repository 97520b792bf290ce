package com.dante.cacciaguida.http;

import com.dante.cacciaguida.TestService;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Versioning and lifecycle rules (API.md 9) over real HTTP against the whole service, with the lifecycle sweeper
 * running every second. Each backend runs it through a subclass.
 */
public abstract class VersioningApiContract extends ServiceContract {

  @Override
  protected String bucketPrefix() {
    return "versioned";
  }

  @Override
  protected void addSettings(Map<String, String> settings) {
    settings.put("STORAGE_LIFECYCLE_SWEEPINTERVAL", "1s");
  }

  // ---------------------------------------------------------------- versioning status

  @Test
  @DisplayName("Versioning is Off until enabled, then Enabled or Suspended; bad bodies 400, a missing bucket 404")
  void versioningStatus() {
    assertEquals("Off", status(bucket));
    assertEquals(new JsonObject().put("status", "Enabled"), setVersioning(bucket, "Enabled").bodyAsJsonObject());
    assertEquals("Enabled", status(bucket));
    setVersioning(bucket, "Suspended");
    assertEquals("Suspended", status(bucket));
    for (String bad : List.of("{\"status\":\"Off\"}", "{\"status\":true}", "{}", "nope", "")) {
      assertError(service.request(HttpMethod.PUT, "/buckets/" + bucket + "/versioning")
          .sendBuffer(Buffer.buffer(bad)).await(), 400, "InvalidArgument");
    }
    assertError(service.get("/buckets/no-such-bucket-v/versioning"), 404, "NoSuchBucket");
    assertError(service.request(HttpMethod.PUT, "/buckets/no-such-bucket-v/versioning")
        .sendJsonObject(new JsonObject().put("status", "Enabled")).await(), 404, "NoSuchBucket");
  }

  // ---------------------------------------------------------------- versions

  @Test
  @DisplayName("Overwritten three times, every version reads back by its id; the newest is current")
  void overwriteThreeTimes() {
    setVersioning(bucket, "Enabled");
    String path = "/objects/" + bucket + "/models/model.bin";
    List<String> ids = new ArrayList<>();
    for (String content : List.of("one", "two", "three")) {
      HttpResponse<Buffer> put = service.put(path, Buffer.buffer(content));
      assertEquals(201, put.statusCode(), put.bodyAsString());
      String id = put.bodyAsJsonObject().getString("versionId");
      assertNotNull(id);
      assertEquals(id, put.getHeader("X-Version-Id"));
      assertEquals("models/model.bin", put.bodyAsJsonObject().getString("key"));
      ids.add(id);
    }
    assertEquals(3, new HashSet<>(ids).size());

    HttpResponse<Buffer> current = service.get(path);
    assertEquals("three", current.bodyAsString());
    assertEquals(ids.get(2), current.getHeader("X-Version-Id"));
    for (int i = 0; i < 3; i++) {
      HttpResponse<Buffer> version = service.get(path + "?versionId=" + ids.get(i));
      assertEquals(200, version.statusCode());
      assertEquals(List.of("one", "two", "three").get(i), version.bodyAsString());
      assertEquals(ids.get(i), version.getHeader("X-Version-Id"));
    }
    HttpResponse<Buffer> head = service.send(HttpMethod.HEAD, path + "?versionId=" + ids.get(0));
    assertEquals(200, head.statusCode());
    assertEquals("3", head.getHeader("Content-Length"));
    assertEquals(ids.get(0), head.getHeader("X-Version-Id"));
    assertEquals(ids.get(2), service.send(HttpMethod.HEAD, path).getHeader("X-Version-Id"));

    JsonArray versions = versions(bucket, "models/");
    assertEquals(3, versions.size(), versions.encode());
    for (int i = 0; i < 3; i++) {
      JsonObject v = versions.getJsonObject(i);
      assertEquals("models/model.bin", v.getString("key"));
      assertEquals(ids.get(2 - i), v.getString("versionId"), "newest first");
      assertEquals(i == 0, v.getBoolean("isLatest"));
      assertFalse(v.getBoolean("deleteMarker"));
      assertEquals(List.of("three", "two", "one").get(i).length(), v.getLong("size"));
    }
    assertEquals(List.of("models/model.bin"), keys(service.get("/objects/" + bucket + "/list")));
    assertEquals("three".length(), service.get("/objects/" + bucket + "/list").bodyAsJsonArray().getJsonObject(0)
        .getLong("size"));
  }

  @Test
  @DisplayName("A multipart completion in a versioned bucket creates a version like a PUT; the old one stays")
  void multipartCompletionCreatesVersion() {
    setVersioning(bucket, "Enabled");
    String path = "/objects/" + bucket + "/ckpt/weights.bin";
    String first = service.put(path, Buffer.buffer("before")).bodyAsJsonObject().getString("versionId");
    HttpResponse<Buffer> created = service.request(HttpMethod.POST, "/uploads/" + bucket + "/ckpt/weights.bin")
        .send().await();
    assertEquals(201, created.statusCode(), created.bodyAsString());
    String uploadId = created.bodyAsJsonObject().getString("uploadId");
    HttpResponse<Buffer> part = service.put("/uploads/" + uploadId + "/parts/1", Buffer.buffer("after, in one part"));
    assertEquals(200, part.statusCode(), part.bodyAsString());
    HttpResponse<Buffer> done = service.send(HttpMethod.POST, "/uploads/" + uploadId + "/complete");
    assertEquals(201, done.statusCode(), done.bodyAsString());
    String second = done.bodyAsJsonObject().getString("versionId");
    assertNotNull(second);
    assertEquals("ckpt/weights.bin", done.bodyAsJsonObject().getString("key"));
    assertEquals(second, done.getHeader("X-Version-Id"));

    HttpResponse<Buffer> current = service.get(path);
    assertEquals("after, in one part", current.bodyAsString());
    assertEquals(second, current.getHeader("X-Version-Id"));
    assertEquals("before", service.get(path + "?versionId=" + first).bodyAsString());
    assertEquals(2, versions(bucket, "ckpt/").size());
    assertEquals(List.of("ckpt/weights.bin"), keys(service.get("/objects/" + bucket + "/list")));
  }

  @Test
  @DisplayName("Deleting a version by id removes it for good; deleting the current one makes the next current")
  void deleteVersions() {
    setVersioning(bucket, "Enabled");
    String path = "/objects/" + bucket + "/k";
    String one = versionOf(service.put(path, Buffer.buffer("one")));
    String two = versionOf(service.put(path, Buffer.buffer("two")));
    HttpResponse<Buffer> deleted = service.send(HttpMethod.DELETE, path + "?versionId=" + two);
    assertEquals(204, deleted.statusCode());
    assertEquals(two, deleted.getHeader("X-Version-Id"));
    assertError(service.get(path + "?versionId=" + two), 404, "NoSuchVersion");
    assertError(service.send(HttpMethod.DELETE, path + "?versionId=" + two), 404, "NoSuchVersion");
    HttpResponse<Buffer> current = service.get(path);
    assertEquals("one", current.bodyAsString());
    assertEquals(one, current.getHeader("X-Version-Id"));
    assertEquals(List.of("k"), keys(service.get("/objects/" + bucket + "/list")));
    assertEquals(204, service.send(HttpMethod.DELETE, path + "?versionId=" + one).statusCode());
    assertError(service.get(path), 404, "NoSuchKey");
    assertEquals(List.of(), keys(service.get("/objects/" + bucket + "/list")));
    assertError(service.get(path + "?versionId=nonsense"), 404, "NoSuchVersion");
    assertError(service.get(path + "?versionId=7ffe000000000000abcdv"), 404, "NoSuchVersion");
  }

  @Test
  @DisplayName("A delete marker hides the key (404 + X-Delete-Marker) and deleting the marker brings it back")
  void deleteMarker() {
    setVersioning(bucket, "Enabled");
    String path = "/objects/" + bucket + "/report.csv";
    String content = versionOf(service.put(path, Buffer.buffer("a,b,c")));
    service.put("/objects/" + bucket + "/other", Buffer.buffer("x"));
    assertEquals(204, service.send(HttpMethod.DELETE, path).statusCode());

    HttpResponse<Buffer> gone = service.get(path);
    assertError(gone, 404, "NoSuchKey");
    assertEquals("true", gone.getHeader("X-Delete-Marker"));
    String marker = gone.getHeader("X-Version-Id");
    assertNotNull(marker);
    HttpResponse<Buffer> headGone = service.send(HttpMethod.HEAD, path);
    assertEquals(404, headGone.statusCode());
    assertEquals("true", headGone.getHeader("X-Delete-Marker"));
    assertEquals(List.of("other"), keys(service.get("/objects/" + bucket + "/list")));
    HttpResponse<Buffer> markerRead = service.get(path + "?versionId=" + marker);
    assertError(markerRead, 405, "MethodNotAllowed");
    assertEquals("true", markerRead.getHeader("X-Delete-Marker"));

    JsonArray versions = versions(bucket, "report");
    assertEquals(2, versions.size(), versions.encode());
    assertEquals(marker, versions.getJsonObject(0).getString("versionId"));
    assertTrue(versions.getJsonObject(0).getBoolean("deleteMarker"));
    assertTrue(versions.getJsonObject(0).getBoolean("isLatest"));
    assertEquals(content, versions.getJsonObject(1).getString("versionId"));
    assertEquals("a,b,c", service.get(path + "?versionId=" + content).bodyAsString());

    HttpResponse<Buffer> unmarked = service.send(HttpMethod.DELETE, path + "?versionId=" + marker);
    assertEquals(204, unmarked.statusCode());
    assertEquals("true", unmarked.getHeader("X-Delete-Marker"));
    HttpResponse<Buffer> back = service.get(path);
    assertEquals(200, back.statusCode());
    assertEquals("a,b,c", back.bodyAsString());
    assertEquals(content, back.getHeader("X-Version-Id"));
    assertEquals(List.of("other", "report.csv"), keys(service.get("/objects/" + bucket + "/list")));
  }

  @Test
  @DisplayName("Concurrent PUTs to one versioned key keep every body as a version; the key shows the newest")
  void concurrentVersionedPuts() {
    setVersioning(bucket, "Enabled");
    String path = "/objects/" + bucket + "/contended";
    List<io.vertx.core.Future<HttpResponse<Buffer>>> puts = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      puts.add(service.request(HttpMethod.PUT, path).sendBuffer(Buffer.buffer("body-" + i)));
    }
    io.vertx.core.Future.all(puts).await();
    puts.forEach(p -> assertEquals(201, p.result().statusCode()));
    JsonArray versions = versions(bucket, "contended");
    assertEquals(6, versions.size(), versions.encode());
    JsonObject newest = versions.getJsonObject(0);
    HttpResponse<Buffer> current = service.get(path);
    assertEquals(newest.getString("versionId"), current.getHeader("X-Version-Id"));
    assertEquals(newest.getString("etag"), current.getHeader("ETag"));
    JsonObject listed = service.get("/objects/" + bucket + "/list").bodyAsJsonArray().getJsonObject(0);
    assertEquals(newest.getString("etag"), listed.getString("etag"), "the key mirrors its newest version");
  }

  @Test
  @DisplayName("A suspended bucket stops keeping versions: each write replaces the last one, older versions stay")
  void suspended() {
    setVersioning(bucket, "Enabled");
    String path = "/objects/" + bucket + "/s";
    String one = versionOf(service.put(path, Buffer.buffer("one")));
    String two = versionOf(service.put(path, Buffer.buffer("two")));
    setVersioning(bucket, "Suspended");
    service.put(path, Buffer.buffer("three"));
    service.put(path, Buffer.buffer("four"));
    service.put(path, Buffer.buffer("five"));
    assertEquals("five", service.get(path).bodyAsString());
    JsonArray versions = versions(bucket, "s");
    assertEquals(3, versions.size(), versions.encode());
    assertEquals(two, versions.getJsonObject(1).getString("versionId"));
    assertEquals(one, versions.getJsonObject(2).getString("versionId"));
    assertEquals("one", service.get(path + "?versionId=" + one).bodyAsString());
    assertEquals("two", service.get(path + "?versionId=" + two).bodyAsString());
  }

  @Test
  @DisplayName("An object written before versioning was enabled is kept as a version when overwritten")
  void objectFromBeforeVersioning() {
    String path = "/objects/" + bucket + "/old";
    service.put(path, Buffer.buffer("before"));
    setVersioning(bucket, "Enabled");
    assertEquals("null", service.get(path).getHeader("X-Version-Id"));
    service.put(path, Buffer.buffer("after"));
    assertEquals("after", service.get(path).bodyAsString());
    JsonArray versions = versions(bucket, "old");
    assertEquals(2, versions.size(), versions.encode());
    assertEquals("before", service.get(path + "?versionId=" + versions.getJsonObject(1).getString("versionId"))
        .bodyAsString());
  }

  @Test
  @DisplayName("Plain listings never show versions or the service's own objects; reserved keys are refused")
  void listingsHideInternals() {
    setVersioning(bucket, "Enabled");
    for (String key : List.of("+first", "a/one", "a/one", "zeta", "~last")) {
      assertEquals(201, service.put("/objects/" + bucket + "/" + key, Buffer.buffer(key)).statusCode());
    }
    service.send(HttpMethod.DELETE, "/objects/" + bucket + "/zeta");
    List<String> expected = List.of("+first", "a/one", "~last");
    assertEquals(expected, keys(service.get("/objects/" + bucket + "/list")));
    assertEquals(List.of("+first", "a/", "~last"), keys(service.get("/objects/" + bucket + "/list?recursive=false")));
    List<String> paged = new ArrayList<>();
    String startAfter = null;
    for (int i = 0; i < 10; i++) {
      HttpResponse<Buffer> page = service.get("/objects/" + bucket + "/list?maxKeys=1"
          + (startAfter == null ? "" : "&startAfter=" + startAfter));
      paged.addAll(keys(page));
      if (!"true".equals(page.getHeader("X-Is-Truncated"))) {
        break;
      }
      startAfter = page.getHeader("X-Next-Start-After");
    }
    assertEquals(expected, paged);
    assertEquals(List.of(), keys(service.get("/objects/" + bucket + "/list?prefix=.cacciaguida/")));
    assertEquals(List.of(), keys(service.get("/objects/" + bucket + "/list?prefix=.cac")));
    assertError(service.put("/objects/" + bucket + "/.cacciaguida/bucket.json", Buffer.buffer("{}")), 400,
        "InvalidObjectKey");
    assertError(service.get("/objects/" + bucket + "/.cacciaguida/bucket.json"), 400, "InvalidObjectKey");
  }

  @Test
  @DisplayName("A presigned PUT URL of a versioned bucket is the service's own and its write keeps versions")
  void presignedPutKeepsVersions() {
    setVersioning(bucket, "Enabled");
    String path = "/objects/" + bucket + "/up.bin";
    service.put(path, Buffer.buffer("first"));
    HttpResponse<Buffer> presigned = service.request(HttpMethod.POST, "/presigned-url/" + bucket + "/up.bin")
        .sendJsonObject(new JsonObject().put("method", "PUT")).await();
    assertEquals(200, presigned.statusCode(), presigned.bodyAsString());
    String url = presigned.bodyAsJsonObject().getString("url");
    assertTrue(url.startsWith(service.baseUrl() + "/objects/" + bucket + "/up.bin?"), url);
    HttpResponse<Buffer> put = service.put(url.substring(service.baseUrl().length()), Buffer.buffer("second"));
    assertEquals(201, put.statusCode(), put.bodyAsString());
    assertNotNull(put.bodyAsJsonObject().getString("versionId"));
    assertEquals("second", service.get(path).bodyAsString());
    assertEquals(2, versions(bucket, "up").size());
  }

  @Test
  @DisplayName("Versions, markers, status and rules survive a restart")
  void survivesRestart() {
    setVersioning(bucket, "Enabled");
    String path = "/objects/" + bucket + "/durable";
    String one = versionOf(service.put(path, Buffer.buffer("one")));
    service.send(HttpMethod.DELETE, path);
    setRules(bucket, new JsonArray().add(rule("r", "nothing-here/", "7d", null)));
    service.close();
    service = TestService.start(dir, settings);
    assertEquals("Enabled", status(bucket));
    assertEquals("true", service.get(path).getHeader("X-Delete-Marker"));
    assertEquals("one", service.get(path + "?versionId=" + one).bodyAsString());
    assertEquals("r", service.get("/buckets/" + bucket + "/lifecycle").bodyAsJsonObject()
        .getJsonArray("rules").getJsonObject(0).getString("id"));
  }

  // ---------------------------------------------------------------- lifecycle

  @Test
  @DisplayName("Lifecycle rules are validated, readable and deletable; none is 404 NoSuchLifecycleConfiguration")
  void lifecycleConfiguration() {
    String lifecycle = "/buckets/" + bucket + "/lifecycle";
    assertError(service.get(lifecycle), 404, "NoSuchLifecycleConfiguration");
    JsonArray rules = new JsonArray().add(rule("tmp", "tmp/", "7d", "30d")).add(rule("logs", "logs/", "90s", null));
    HttpResponse<Buffer> set = setRules(bucket, rules);
    assertEquals(new JsonObject().put("rules", rules), set.bodyAsJsonObject());
    assertEquals(new JsonObject().put("rules", rules), service.get(lifecycle).bodyAsJsonObject());

    List<JsonObject> bad = List.of(
        new JsonObject(),
        new JsonObject().put("rules", new JsonArray()),
        new JsonObject().put("rules", new JsonArray().add(rule("a", "x/", "1d", null)).add(rule("a", "y/", "1d", null))),
        new JsonObject().put("rules", new JsonArray().add(rule("a", "x/", null, null))),
        new JsonObject().put("rules", new JsonArray().add(rule("a", "x/", "7x", null))),
        new JsonObject().put("rules", new JsonArray().add(rule("a", "x/", "500ms", null))),
        new JsonObject().put("rules", new JsonArray().add(rule("", "x/", "1d", null))),
        new JsonObject().put("rules", new JsonArray().add(new JsonObject().put("id", "a").put("expireAfter", 5))));
    for (JsonObject body : bad) {
      assertError(service.request(HttpMethod.PUT, lifecycle).sendJsonObject(body).await(), 400, "InvalidArgument");
    }
    assertEquals(new JsonObject().put("rules", rules), service.get(lifecycle).bodyAsJsonObject());
    assertEquals(204, service.send(HttpMethod.DELETE, lifecycle).statusCode());
    assertError(service.get(lifecycle), 404, "NoSuchLifecycleConfiguration");
    assertError(service.get("/buckets/no-such-bucket-l/lifecycle"), 404, "NoSuchBucket");
  }

  @Test
  @DisplayName("An expiry rule removes due objects under its prefix by itself, and nothing else")
  void expiry() throws Exception {
    for (String key : List.of("tmp/job-1/out.log", "tmp/job-2/out.log", "keep/model.bin", "logs/today.log")) {
      service.put("/objects/" + bucket + "/" + key, Buffer.buffer(key));
    }
    setRules(bucket, new JsonArray().add(rule("tmp", "tmp/", "2s", null)).add(rule("logs", "logs/", "1h", null)));
    await(() -> keys(service.get("/objects/" + bucket + "/list")).stream().noneMatch(k -> k.startsWith("tmp/")));
    Thread.sleep(2500);
    assertEquals(List.of("keep/model.bin", "logs/today.log"), keys(service.get("/objects/" + bucket + "/list")));
    assertEquals("keep/model.bin", service.get("/objects/" + bucket + "/keep/model.bin").bodyAsString());
  }

  @Test
  @DisplayName("In a versioned bucket an expiry rule leaves a delete marker: the content stays recoverable")
  void expiryInVersionedBucket() {
    setVersioning(bucket, "Enabled");
    String id = versionOf(service.put("/objects/" + bucket + "/tmp/a", Buffer.buffer("a")));
    setRules(bucket, new JsonArray().add(rule("tmp", "tmp/", "1s", null)));
    await(() -> service.get("/objects/" + bucket + "/tmp/a").statusCode() == 404);
    assertEquals("true", service.get("/objects/" + bucket + "/tmp/a").getHeader("X-Delete-Marker"));
    assertEquals("a", service.get("/objects/" + bucket + "/tmp/a?versionId=" + id).bodyAsString());
  }

  @Test
  @DisplayName("Noncurrent expiry removes old versions and keeps the current one")
  void noncurrentExpiry() {
    setVersioning(bucket, "Enabled");
    String path = "/objects/" + bucket + "/ckpt/model.bin";
    service.put(path, Buffer.buffer("v1"));
    service.put(path, Buffer.buffer("v2"));
    String current = versionOf(service.put(path, Buffer.buffer("v3")));
    String solo = versionOf(service.put("/objects/" + bucket + "/ckpt/solo", Buffer.buffer("solo")));
    setRules(bucket, new JsonArray().add(rule("old", "ckpt/", null, "1s")));
    await(() -> versions(bucket, "ckpt/model.bin").size() == 1);
    JsonArray left = versions(bucket, "ckpt/");
    assertEquals(2, left.size(), left.encode());
    assertEquals(current, left.getJsonObject(0).getString("versionId"));
    assertEquals(solo, left.getJsonObject(1).getString("versionId"));
    assertEquals("v3", service.get(path).bodyAsString());
    assertEquals("solo", service.get("/objects/" + bucket + "/ckpt/solo").bodyAsString());
  }

  // ---------------------------------------------------------------- helpers

  private String status(String bucket) {
    HttpResponse<Buffer> r = service.get("/buckets/" + bucket + "/versioning");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getString("status");
  }

  private HttpResponse<Buffer> setVersioning(String bucket, String status) {
    HttpResponse<Buffer> r = service.request(HttpMethod.PUT, "/buckets/" + bucket + "/versioning")
        .sendJsonObject(new JsonObject().put("status", status)).await();
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r;
  }

  private HttpResponse<Buffer> setRules(String bucket, JsonArray rules) {
    HttpResponse<Buffer> r = service.request(HttpMethod.PUT, "/buckets/" + bucket + "/lifecycle")
        .sendJsonObject(new JsonObject().put("rules", rules)).await();
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r;
  }

  static JsonObject rule(String id, String prefix, String expireAfter, String noncurrentExpireAfter) {
    JsonObject rule = new JsonObject().put("id", id).put("prefix", prefix);
    if (expireAfter != null) rule.put("expireAfter", expireAfter);
    if (noncurrentExpireAfter != null) rule.put("noncurrentExpireAfter", noncurrentExpireAfter);
    return rule;
  }

  private JsonArray versions(String bucket, String prefix) {
    HttpResponse<Buffer> r = service.get("/objects/" + bucket + "/list?versions=true&prefix=" + prefix);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonArray();
  }

  private static String versionOf(HttpResponse<Buffer> put) {
    assertEquals(201, put.statusCode(), put.bodyAsString());
    String id = put.bodyAsJsonObject().getString("versionId");
    assertNotNull(id);
    return id;
  }

  /** Waits up to 20 s (sweeps run every second) for the condition. */
  static void await(BooleanSupplier condition) {
    long deadline = System.currentTimeMillis() + 20_000;
    while (!condition.getAsBoolean()) {
      assertTrue(System.currentTimeMillis() < deadline, "condition not met within 20 s");
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static List<String> keys(HttpResponse<Buffer> listing) {
    return ObjectApiContract.keys(listing);
  }

  private static void assertError(HttpResponse<Buffer> r, int status, String code) {
    ObjectApiContract.assertError(r, status, code);
  }
}
