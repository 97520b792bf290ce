package com.dante.cacciaguida.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every route and error path of API.md 4 over real HTTP against the whole service. Each backend runs this
 * suite through a subclass that says how to configure it and how to look for leftovers.
 */
public abstract class ObjectApiContract extends ServiceContract {

  protected static final long MAX_UPLOAD = 1024 * 1024;

  /** Fails when an upload left something behind (temp files, multipart uploads). */
  protected abstract void assertNoLeftovers(String bucket) throws Exception;

  /**
   * False where the backend's server cannot store {@code a} beside {@code a/b} or long key segments (S3Proxy's
   * filesystem store, used in tests; MinIO and S3 can).
   */
  protected boolean holdsAnyKeyShape() {
    return true;
  }

  @Override
  protected String bucketPrefix() {
    return "bucket";
  }

  @Override
  protected void addSettings(Map<String, String> settings) {
    settings.put("STORAGE_SERVER_MAXUPLOADSIZE", Long.toString(MAX_UPLOAD));
    settings.put("STORAGE_PRESIGN_MAXEXPIRY", "2h");
  }

  // ---------------------------------------------------------------- buckets

  @Test
  @DisplayName("POST /buckets/{bucket} answers 201 with the bucket, also when it already exists")
  void ensureBucket() {
    HttpResponse<Buffer> again = service.send(HttpMethod.POST, "/buckets/" + bucket);
    assertEquals(201, again.statusCode());
    assertEquals(new JsonObject().put("message", "Bucket ensured successfully").put("bucket", bucket),
        again.bodyAsJsonObject());
    assertEquals("application/json; charset=utf-8", again.getHeader("Content-Type"));
  }

  @Test
  @DisplayName("Invalid bucket names are 400 InvalidBucketName with a JSON error and the request id")
  void invalidBucketNames() {
    for (String name : List.of("ab", "Upper", "under_score", "-dash", "dots..dots", "192.168.1.1",
        "a".repeat(64))) {
      HttpResponse<Buffer> r = service.request(HttpMethod.POST, "/buckets/" + name)
          .putHeader("X-Request-Id", "req-" + name.hashCode()).send().await();
      assertError(r, 400, "InvalidBucketName");
      assertEquals("req-" + name.hashCode(), r.bodyAsJsonObject().getString("requestId"));
      assertEquals("req-" + name.hashCode(), r.getHeader("X-Request-Id"));
    }
  }

  // ---------------------------------------------------------------- upload and download

  @Test
  @DisplayName("PUT stores the body and answers 201 with ObjectInfo; GET returns it with the API's headers")
  void putAndGet() {
    Buffer body = Buffer.buffer("hello, storage");
    HttpResponse<Buffer> put = service.request(HttpMethod.PUT, "/objects/" + bucket + "/dir/hello.txt")
        .putHeader("Content-Type", "text/plain").sendBuffer(body).await();
    assertEquals(201, put.statusCode());
    JsonObject info = put.bodyAsJsonObject();
    assertEquals("dir/hello.txt", info.getString("key"));
    assertEquals(body.length(), info.getLong("size"));
    assertEquals("text/plain", info.getString("contentType"));
    assertEquals("\"" + md5(body.getBytes()) + "\"", info.getString("etag"));
    assertTrue(Instant.parse(info.getString("lastModified")).isAfter(Instant.now().minusSeconds(60)));
    assertNotNull(put.getHeader("X-Request-Id"));

    HttpResponse<Buffer> get = service.get("/objects/" + bucket + "/dir/hello.txt");
    assertEquals(200, get.statusCode());
    assertEquals(body, get.body());
    assertEquals("text/plain", get.getHeader("Content-Type"));
    assertEquals(Integer.toString(body.length()), get.getHeader("Content-Length"));
    assertEquals(info.getString("etag"), get.getHeader("ETag"));
    assertEquals("bytes", get.getHeader("Accept-Ranges"));
    assertEquals("nosniff", get.getHeader("X-Content-Type-Options"));
    assertEquals(Instant.parse(info.getString("lastModified")),
        DateTimeFormatter.RFC_1123_DATE_TIME.parse(get.getHeader("Last-Modified"), Instant::from));
  }

  @Test
  @DisplayName("HEAD sends GET's headers and no body")
  void head() {
    service.put("/objects/" + bucket + "/h.bin", Buffer.buffer(new byte[1234]));
    HttpResponse<Buffer> get = service.get("/objects/" + bucket + "/h.bin");
    HttpResponse<Buffer> head = service.send(HttpMethod.HEAD, "/objects/" + bucket + "/h.bin");
    assertEquals(200, head.statusCode());
    assertNull(head.body());
    for (String header : List.of("Content-Type", "Content-Length", "ETag", "Last-Modified", "Accept-Ranges",
        "X-Content-Type-Options")) {
      assertEquals(get.getHeader(header), head.getHeader(header), header);
    }
    assertEquals("1234", head.getHeader("Content-Length"));
    assertError(service.send(HttpMethod.HEAD, "/objects/" + bucket + "/missing"), 404, null);
  }

  @Test
  @DisplayName("Without a Content-Type the type is guessed from the key's extension, else octet-stream")
  void contentTypeGuessing() {
    assertEquals("application/json", service.put("/objects/" + bucket + "/a/data.json", Buffer.buffer("{}"))
        .bodyAsJsonObject().getString("contentType"));
    assertEquals("application/octet-stream", service.put("/objects/" + bucket + "/a/blob",
        Buffer.buffer("x")).bodyAsJsonObject().getString("contentType"));
  }

  @Test
  @DisplayName("An overwrite replaces the object; DELETE answers 204, then GET is 404 NoSuchKey, DELETE again 204")
  void overwriteAndDelete() {
    service.put("/objects/" + bucket + "/k", Buffer.buffer("one"));
    service.put("/objects/" + bucket + "/k", Buffer.buffer("two"));
    assertEquals("two", service.get("/objects/" + bucket + "/k").bodyAsString());
    assertEquals(204, service.send(HttpMethod.DELETE, "/objects/" + bucket + "/k").statusCode());
    assertError(service.get("/objects/" + bucket + "/k"), 404, "NoSuchKey");
    assertEquals(204, service.send(HttpMethod.DELETE, "/objects/" + bucket + "/k").statusCode());
  }

  @Test
  @DisplayName("Writing to, reading from or listing a bucket that does not exist is 404 NoSuchBucket")
  void missingBucket() {
    assertError(service.put("/objects/no-such-bucket-x/k", Buffer.buffer("x")), 404, "NoSuchBucket");
    assertError(service.get("/objects/no-such-bucket-x/list"), 404, "NoSuchBucket");
    assertError(service.get("/objects/no-such-bucket-x/k"), 404, null);
  }

  @Test
  @DisplayName("Keys a and a/b can both exist")
  void fileAndDirectoryKeys() {
    Assumptions.assumeTrue(holdsAnyKeyShape(), "the test S3 server cannot hold a beside a/b");
    service.put("/objects/" + bucket + "/a", Buffer.buffer("A"));
    service.put("/objects/" + bucket + "/a/b", Buffer.buffer("AB"));
    assertEquals("A", service.get("/objects/" + bucket + "/a").bodyAsString());
    assertEquals("AB", service.get("/objects/" + bucket + "/a/b").bodyAsString());
  }

  @Test
  @DisplayName("The default-bucket routes use minio.defaultBucket")
  void defaultBucketRoutes() {
    assertEquals(201, service.put("/objects/top-level.txt", Buffer.buffer("default")).statusCode());
    assertEquals("default", service.get("/objects/default/top-level.txt").bodyAsString());
    assertEquals("default", service.get("/objects/top-level.txt").bodyAsString());
    assertEquals(200, service.send(HttpMethod.HEAD, "/objects/top-level.txt").statusCode());
    JsonArray listing = service.get("/objects/list?prefix=top-level").bodyAsJsonArray();
    assertEquals("top-level.txt", listing.getJsonObject(0).getString("key"));
    HttpResponse<Buffer> presign = service.request(HttpMethod.POST, "/presigned-url/top-level.txt")
        .sendJsonObject(new JsonObject().put("method", "GET")).await();
    assertEquals(200, presign.statusCode());
    assertEquals("default", presign.bodyAsJsonObject().getString("bucket"));
    assertEquals(204, service.send(HttpMethod.DELETE, "/objects/top-level.txt").statusCode());
    assertError(service.get("/objects/top-level.txt"), 404, "NoSuchKey");
  }

  // ---------------------------------------------------------------- ranges and conditions

  @Test
  @DisplayName("Range gives 206 with Content-Range; suffix and open ranges work; past the end is 416")
  void ranges() {
    String path = "/objects/" + bucket + "/r.bin";
    service.put(path, Buffer.buffer("0123456789"));
    HttpResponse<Buffer> mid = service.request(HttpMethod.GET, path).putHeader("Range", "bytes=2-5").send().await();
    assertEquals(206, mid.statusCode());
    assertEquals("2345", mid.bodyAsString());
    assertEquals("bytes 2-5/10", mid.getHeader("Content-Range"));
    assertEquals("4", mid.getHeader("Content-Length"));
    HttpResponse<Buffer> suffix = service.request(HttpMethod.GET, path).putHeader("Range", "bytes=-3").send().await();
    assertEquals("789", suffix.bodyAsString());
    HttpResponse<Buffer> open = service.request(HttpMethod.GET, path).putHeader("Range", "bytes=7-").send().await();
    assertEquals("789", open.bodyAsString());
    HttpResponse<Buffer> past = service.request(HttpMethod.GET, path).putHeader("Range", "bytes=10-").send().await();
    assertError(past, 416, "InvalidRange");
    assertEquals("bytes */10", past.getHeader("Content-Range"));
  }

  @Test
  @DisplayName("If-None-Match and If-Modified-Since give 304; If-Match mismatch gives 412; If-Range guards a range")
  void conditionalRequests() {
    String path = "/objects/" + bucket + "/c.txt";
    String etag = service.put(path, Buffer.buffer("conditional")).bodyAsJsonObject().getString("etag");
    HttpResponse<Buffer> notModified = service.request(HttpMethod.GET, path).putHeader("If-None-Match", etag)
        .send().await();
    assertEquals(304, notModified.statusCode());
    assertEquals(etag, notModified.getHeader("ETag"));
    String later = DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.now().plusSeconds(3600).atOffset(ZoneOffset.UTC));
    assertEquals(304, service.request(HttpMethod.GET, path).putHeader("If-Modified-Since", later).send().await()
        .statusCode());
    assertError(service.request(HttpMethod.GET, path).putHeader("If-Match", "\"nope\"").send().await(), 412,
        "PreconditionFailed");
    assertEquals(200, service.request(HttpMethod.GET, path).putHeader("If-Match", etag).send().await().statusCode());
    HttpResponse<Buffer> rangeKept = service.request(HttpMethod.GET, path).putHeader("Range", "bytes=0-3")
        .putHeader("If-Range", etag).send().await();
    assertEquals(206, rangeKept.statusCode());
    HttpResponse<Buffer> rangeDropped = service.request(HttpMethod.GET, path).putHeader("Range", "bytes=0-3")
        .putHeader("If-Range", "\"other\"").send().await();
    assertEquals(200, rangeDropped.statusCode());
    assertEquals("conditional", rangeDropped.bodyAsString());
  }

  // ---------------------------------------------------------------- limits

  @Test
  @DisplayName("A Content-Length above server.maxUploadSize is 413 EntityTooLarge naming the multipart route")
  void tooLargeByLength() {
    HttpResponse<Buffer> r = service.put("/objects/" + bucket + "/big", Buffer.buffer(new byte[(int) MAX_UPLOAD + 1]));
    assertError(r, 413, "EntityTooLarge");
    assertTrue(r.bodyAsJsonObject().getString("message").contains("/uploads/"));
    assertError(service.get("/objects/" + bucket + "/big"), 404, "NoSuchKey");
  }

  @Test
  @DisplayName("A chunked body that grows past server.maxUploadSize is cut off with 413; nothing is stored")
  void tooLargeWhileStreaming() throws Exception {
    String path = "/objects/" + bucket + "/chunked-big";
    service.put(path, Buffer.buffer("old"));
    HttpClient client = service.clientVertx().createHttpClient();
    try {
      HttpClientRequest request = client.request(new RequestOptions().setMethod(HttpMethod.PUT)
          .setHost("127.0.0.1").setPort(service.port()).setURI(path)).await();
      request.setChunked(true);
      Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
      var response = request.response();
      for (int i = 0; i < (MAX_UPLOAD / chunk.length()) + 4 && !response.isComplete(); i++) {
        request.write(chunk);
      }
      request.end();
      assertEquals(413, response.await().statusCode());
    } finally {
      client.close().await();
    }
    assertEquals("old", service.get(path).bodyAsString());
    assertNoLeftovers(bucket);
  }

  // ---------------------------------------------------------------- names and paths

  @Test
  @DisplayName("Bad keys are 400 InvalidObjectKey, however they are encoded")
  void invalidKeys() {
    List<String> raw = List.of("%2e%2e/x", "a/%2E%2E/b", "a/./b", "a/../b", "..", "a/%2e", "%01ctl", "a%00b",
        "%zz", "%c3%28", "%2Fleading", "k".repeat(1025));
    for (String key : raw) {
      assertError(service.put("/objects/" + bucket + "/" + key, Buffer.buffer("x")), 400, null);
      assertError(service.get("/objects/" + bucket + "/" + key), 400, null);
    }
    assertError(service.get("/objects/" + bucket + "/"), 400, "InvalidObjectKey");
  }

  @Test
  @DisplayName("%2F is a slash, + a literal plus, %252e the three characters %2e, and 1024-byte keys work")
  void keyEncoding() {
    service.put("/objects/" + bucket + "/x%2Fy", Buffer.buffer("slash"));
    assertEquals("slash", service.get("/objects/" + bucket + "/x/y").bodyAsString());
    service.put("/objects/" + bucket + "/a+b", Buffer.buffer("plus"));
    assertEquals("plus", service.get("/objects/" + bucket + "/a%2Bb").bodyAsString());
    JsonObject pct = service.put("/objects/" + bucket + "/p%252e", Buffer.buffer("pct")).bodyAsJsonObject();
    assertEquals("p%2e", pct.getString("key"));
    Assumptions.assumeTrue(holdsAnyKeyShape(), "the test S3 server limits key segments to 218 bytes");
    String longKey = "L".repeat(200) + "/" + "é".repeat(350) + "/" + "z".repeat(122);
    assertEquals(1024, longKey.getBytes(StandardCharsets.UTF_8).length);
    String encoded = com.dante.cacciaguida.storage.ObjectNames.encodePath(longKey);
    assertEquals(201, service.put("/objects/" + bucket + "/" + encoded, Buffer.buffer("long")).statusCode());
    assertEquals("long", service.get("/objects/" + bucket + "/" + encoded).bodyAsString());
  }

  // ---------------------------------------------------------------- listing

  @Test
  @DisplayName("Listing: sorted, by prefix, recursive and with common prefixes when recursive=false")
  void listing() {
    for (String key : List.of("b/2", "a", "b/1", "b/c/3", "d.txt", "bb")) {
      service.put("/objects/" + bucket + "/" + key, Buffer.buffer(key));
    }
    assertEquals(List.of("a", "b/1", "b/2", "b/c/3", "bb", "d.txt"), keys(service.get("/objects/" + bucket + "/list")));
    assertEquals(List.of("b/1", "b/2", "b/c/3"), keys(service.get("/objects/" + bucket + "/list?prefix=b/")));
    assertEquals(List.of("a", "b/", "bb", "d.txt"),
        keys(service.get("/objects/" + bucket + "/list?recursive=false")));
    assertEquals(List.of("b/1", "b/2", "b/c/"),
        keys(service.get("/objects/" + bucket + "/list?prefix=b/&recursive=false")));
    JsonObject common = service.get("/objects/" + bucket + "/list?recursive=false").bodyAsJsonArray().getJsonObject(1);
    assertEquals(0, common.getLong("size"));
    JsonObject first = service.get("/objects/" + bucket + "/list").bodyAsJsonArray().getJsonObject(0);
    assertEquals(1, first.getLong("size"));
    assertNotNull(first.getString("etag"));
  }

  @Test
  @DisplayName("Listing pages with maxKeys and startAfter, telling X-Is-Truncated and X-Next-Start-After")
  void listingPages() {
    List<String> all = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      String key = "p/" + i;
      all.add(key);
      service.put("/objects/" + bucket + "/" + key, Buffer.buffer("x"));
    }
    List<String> seen = new ArrayList<>();
    String startAfter = null;
    while (true) {
      HttpResponse<Buffer> page = service.get("/objects/" + bucket + "/list?maxKeys=3"
          + (startAfter == null ? "" : "&startAfter=" + startAfter));
      assertEquals(200, page.statusCode());
      seen.addAll(keys(page));
      if (!"true".equals(page.getHeader("X-Is-Truncated"))) {
        break;
      }
      startAfter = page.getHeader("X-Next-Start-After");
    }
    assertEquals(all, seen);
  }

  @Test
  @DisplayName("A listing without maxKeys streams every key, across many internal pages")
  void listingStreamsAllPages() {
    List<String> expected = new ArrayList<>();
    List<io.vertx.core.Future<?>> puts = new ArrayList<>();
    for (int i = 0; i < 2100; i++) {
      String key = String.format("many/%05d", i);
      expected.add(key);
      puts.add(service.request(HttpMethod.PUT, "/objects/" + bucket + "/" + key).sendBuffer(Buffer.buffer("m")));
      if (puts.size() == 32) {
        io.vertx.core.Future.all(puts).await();
        puts.clear();
      }
    }
    io.vertx.core.Future.all(puts).await();
    assertEquals(expected, keys(service.get("/objects/" + bucket + "/list?prefix=many/")));
  }

  @Test
  @DisplayName("Bad listing arguments are 400 InvalidArgument")
  void listingArguments() {
    assertError(service.get("/objects/" + bucket + "/list?recursive=maybe"), 400, "InvalidArgument");
    assertError(service.get("/objects/" + bucket + "/list?maxKeys=0"), 400, "InvalidArgument");
    assertError(service.get("/objects/" + bucket + "/list?maxKeys=1001"), 400, "InvalidArgument");
    assertError(service.get("/objects/" + bucket + "/list?maxKeys=ten"), 400, "InvalidArgument");
  }

  // ---------------------------------------------------------------- presigned URLs

  @Test
  @DisplayName("Presigned GET and PUT URLs work with no other credentials; bad presign requests are 400")
  void presignedUrls() throws Exception {
    service.put("/objects/" + bucket + "/shared.txt", Buffer.buffer("shared"));
    JsonObject get = presign("/presigned-url/" + bucket + "/shared.txt", new JsonObject().put("method", "GET"));
    assertEquals("GET", get.getString("method"));
    assertEquals(bucket, get.getString("bucket"));
    assertEquals("shared.txt", get.getString("key"));
    assertTrue(Instant.parse(get.getString("expiresAt")).isAfter(Instant.now().plusSeconds(14 * 60)));
    java.net.http.HttpClient plain = java.net.http.HttpClient.newHttpClient();
    var fetched = plain.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(get.getString("url"))).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, fetched.statusCode());
    assertEquals("shared", fetched.body());

    JsonObject put = presign("/presigned-url/" + bucket + "/upload.bin",
        new JsonObject().put("method", "PUT").put("expiry", "1h"));
    var uploaded = plain.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(put.getString("url")))
            .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("via presigned put")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertTrue(uploaded.statusCode() == 200 || uploaded.statusCode() == 201, uploaded.body());
    assertEquals("via presigned put", service.get("/objects/" + bucket + "/upload.bin").bodyAsString());

    for (JsonObject bad : List.of(new JsonObject().put("method", "DELETE"), new JsonObject(),
        new JsonObject().put("method", "GET").put("expiry", "3h"),
        new JsonObject().put("method", "GET").put("expiry", "soon"))) {
      assertError(service.request(HttpMethod.POST, "/presigned-url/" + bucket + "/x").sendJsonObject(bad).await(),
          400, "InvalidArgument");
    }
    assertError(service.request(HttpMethod.POST, "/presigned-url/" + bucket + "/x")
        .sendBuffer(Buffer.buffer("{not json")).await(), 400, "InvalidArgument");
  }

  protected JsonObject presign(String path, JsonObject body) {
    HttpResponse<Buffer> r = service.request(HttpMethod.POST, path).sendJsonObject(body).await();
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  // ---------------------------------------------------------------- routes, health

  @Test
  @DisplayName("Unknown routes are JSON 404 NotFound, wrong methods JSON 405 MethodNotAllowed")
  void unknownRoutes() {
    assertError(service.get("/nothing/here"), 404, "NotFound");
    assertError(service.send(HttpMethod.POST, "/objects/" + bucket + "/k"), 405, "MethodNotAllowed");
    assertError(service.send(HttpMethod.GET, "/buckets/" + bucket), 405, "MethodNotAllowed");
  }

  @Test
  @DisplayName("/health is UP with the storage check; deep, live and ready answer too")
  void health() {
    HttpResponse<Buffer> health = service.get("/health");
    assertEquals(200, health.statusCode());
    assertEquals("UP", health.bodyAsJsonObject().getString("status"));
    assertEquals("storage", health.bodyAsJsonObject().getJsonArray("checks").getJsonObject(0).getString("id"));
    assertEquals(200, service.get("/health?deep=true").statusCode());
    assertEquals(200, service.get("/health/live").statusCode());
    assertEquals(200, service.get("/health/ready").statusCode());
  }

  // ---------------------------------------------------------------- faults

  @Test
  @DisplayName("A client that disconnects mid-upload leaves the old object intact and nothing behind")
  void disconnectMidUpload() throws Exception {
    String path = "/objects/" + bucket + "/interrupted";
    service.put(path, Buffer.buffer("previous"));
    try (Socket socket = new Socket("127.0.0.1", service.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(("PUT " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 900000\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[300_000]);
      out.flush();
      Thread.sleep(300);
    }
    Thread.sleep(500);
    assertEquals("previous", service.get(path).bodyAsString());
    assertNoLeftovers(bucket);
  }

  @Test
  @DisplayName("8 concurrent PUTs to one key leave exactly one of the bodies, whole")
  void concurrentPutsToOneKey() throws Exception {
    String path = "/objects/" + bucket + "/contended";
    List<byte[]> bodies = new ArrayList<>();
    List<io.vertx.core.Future<HttpResponse<Buffer>>> puts = new ArrayList<>();
    Random random = new Random(42);
    for (int i = 0; i < 8; i++) {
      byte[] body = new byte[200_000 + i];
      random.nextBytes(body);
      bodies.add(body);
      puts.add(service.request(HttpMethod.PUT, path).sendBuffer(Buffer.buffer(body)));
    }
    io.vertx.core.Future.all(puts).await();
    puts.forEach(p -> assertEquals(201, p.result().statusCode()));
    byte[] stored = service.get(path).body().getBytes();
    assertTrue(bodies.stream().anyMatch(b -> java.util.Arrays.equals(b, stored)), "stored body is one of the PUTs");
    assertNoLeftovers(bucket);
  }

  // ---------------------------------------------------------------- helpers

  protected static List<String> keys(HttpResponse<Buffer> listing) {
    assertEquals(200, listing.statusCode(), listing.bodyAsString());
    List<String> keys = new ArrayList<>();
    listing.bodyAsJsonArray().forEach(o -> keys.add(((JsonObject) o).getString("key")));
    return keys;
  }

  protected static void assertError(HttpResponse<Buffer> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    if (r.body() == null) {
      return; // HEAD
    }
    JsonObject body = r.bodyAsJsonObject();
    if (code != null) {
      assertEquals(code, body.getString("error"), body.encode());
    }
    assertNotNull(body.getString("message"));
    assertNotNull(body.getString("requestId"));
    assertEquals("application/json; charset=utf-8", r.getHeader("Content-Type"));
  }

  protected String rawExchange(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", service.port())) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      byte[] buf = new byte[4096];
      int n = socket.getInputStream().read(buf);
      return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.US_ASCII);
    }
  }

  protected static String md5(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
