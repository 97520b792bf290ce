package com.dante.cacciaguida.http;

import com.dante.cacciaguida.TestService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Multipart uploads (API.md 7) over real HTTP against the whole service; each backend runs this suite through a
 * subclass. Parts are the 5 MiB minimum, so a three-part object stays small.
 */
public abstract class UploadApiContract extends ServiceContract {

  protected static final int MIN_PART = 5 * 1024 * 1024;

  /** Fails when the backend still holds anything of the upload (parts, session, backend multipart upload). */
  protected abstract void assertUploadGone(TestService service, String bucket, String uploadId) throws Exception;

  @Override
  protected String bucketPrefix() {
    return "uploads";
  }

  @Test
  @DisplayName("Parts sent out of order and in parallel, one re-sent, complete into the object with its SHA-256; "
      + "until then the old object stays")
  void partsInParallelCompleteIntoObject() throws Exception {
    byte[] whole = random(2 * MIN_PART + 123_457, 1);
    assertEquals(201, service.put("/objects/" + bucket + "/model.bin", Buffer.buffer("old")).statusCode());
    String id = create("model.bin", new JsonObject().put("contentType", "application/x-model"));
    assertTrue(id.contains("_") && id.matches("[A-Za-z0-9_-]+"), id);

    // part 2 first goes up with the wrong bytes (a broken transfer the client repeats)
    HttpResponse<Buffer> wrong = sendPart(service, id, 2, random(MIN_PART, 99));
    assertEquals(200, wrong.statusCode(), wrong.bodyAsString());
    List<Future<HttpResponse<Buffer>>> sends = new ArrayList<>();
    for (int n : new int[] {3, 1, 2}) {
      sends.add(service.request(HttpMethod.PUT, "/uploads/" + id + "/parts/" + n).sendBuffer(slice(whole, n)));
    }
    Future.all(sends).await();
    JsonArray refs = new JsonArray();
    for (int i = 0; i < 3; i++) {
      HttpResponse<Buffer> r = sends.get(i).result();
      assertEquals(200, r.statusCode(), r.bodyAsString());
      assertEquals(new int[] {3, 1, 2}[i], r.bodyAsJsonObject().getInteger("part"));
    }
    JsonObject listed = service.get("/uploads/" + id).bodyAsJsonObject();
    assertEquals(id, listed.getString("uploadId"));
    assertEquals(bucket, listed.getString("bucket"));
    assertEquals("model.bin", listed.getString("key"));
    JsonArray parts = listed.getJsonArray("parts");
    assertEquals(3, parts.size(), listed.encode());
    for (int n = 1; n <= 3; n++) {
      JsonObject part = parts.getJsonObject(n - 1);
      assertEquals(n, part.getInteger("part"));
      assertEquals(slice(whole, n).length(), part.getLong("size"));
      assertEquals("\"" + md5(slice(whole, n).getBytes()) + "\"", part.getString("etag"));
      refs.add(new JsonObject().put("part", n).put("etag", part.getString("etag")));
    }
    assertNotEquals("\"" + md5(random(MIN_PART, 99)) + "\"", parts.getJsonObject(1).getString("etag"));

    assertEquals("old", service.get("/objects/" + bucket + "/model.bin").bodyAsString());
    JsonArray open = service.get("/uploads?bucket=" + bucket).bodyAsJsonArray();
    assertEquals(1, open.size(), open.encode());
    assertEquals(id, open.getJsonObject(0).getString("uploadId"));
    assertEquals("model.bin", open.getJsonObject(0).getString("key"));
    assertNotNull(open.getJsonObject(0).getString("initiated"));

    HttpResponse<Buffer> done = service.request(HttpMethod.POST, "/uploads/" + id + "/complete")
        .putHeader("X-Checksum-Sha256", sha256(whole))
        .sendJsonObject(new JsonObject().put("parts", refs)).await();
    assertEquals(201, done.statusCode(), done.bodyAsString());
    JsonObject info = done.bodyAsJsonObject();
    assertEquals("model.bin", info.getString("key"));
    assertEquals(whole.length, info.getLong("size"));
    assertEquals(sha256(whole), info.getString("sha256"));
    assertEquals("application/x-model", info.getString("contentType"));

    HttpResponse<Buffer> got = service.get("/objects/" + bucket + "/model.bin");
    assertEquals(200, got.statusCode());
    assertArrayEquals(whole, got.body().getBytes());
    assertEquals(sha256(whole), got.getHeader("X-Checksum-Sha256"));
    assertEquals(info.getString("etag"), got.getHeader("ETag"));
    assertEquals(0, service.get("/uploads?bucket=" + bucket).bodyAsJsonArray().size());
    assertError(service.get("/uploads/" + id), 404, "NoSuchUpload");
    assertUploadGone(service, bucket, id);
  }

  @Test
  @DisplayName("An empty completion body takes every part in order; listings never show an open upload")
  void emptyCompletionTakesAllParts() {
    byte[] whole = random(MIN_PART + 10, 2);
    String id = create("dir/all-parts", null);
    assertEquals(200, sendPart(service, id, 2, slice(whole, 2).getBytes()).statusCode());
    assertEquals(200, sendPart(service, id, 1, slice(whole, 1).getBytes()).statusCode());
    assertEquals(0, service.get("/objects/" + bucket + "/list").bodyAsJsonArray().size());
    assertError(service.get("/objects/" + bucket + "/dir/all-parts"), 404, "NoSuchKey");
    HttpResponse<Buffer> done = service.send(HttpMethod.POST, "/uploads/" + id + "/complete");
    assertEquals(201, done.statusCode(), done.bodyAsString());
    assertEquals(sha256(whole), done.bodyAsJsonObject().getString("sha256"));
    assertArrayEquals(whole, service.get("/objects/" + bucket + "/dir/all-parts").body().getBytes());
  }

  @Test
  @DisplayName("DELETE /uploads/{id} aborts: 204, the parts are gone, the upload is NoSuchUpload")
  void abortLeavesNothing() throws Exception {
    String id = create("aborted", null);
    assertEquals(200, sendPart(service, id, 1, random(1000, 3)).statusCode());
    assertEquals(204, service.send(HttpMethod.DELETE, "/uploads/" + id).statusCode());
    assertError(service.get("/uploads/" + id), 404, "NoSuchUpload");
    assertError(service.send(HttpMethod.DELETE, "/uploads/" + id), 404, "NoSuchUpload");
    assertEquals(0, service.get("/uploads?bucket=" + bucket).bodyAsJsonArray().size());
    assertError(service.get("/objects/" + bucket + "/aborted"), 404, "NoSuchKey");
    assertUploadGone(service, bucket, id);
  }

  @Test
  @DisplayName("Completing with a wrong ETag or a missing part is 400 InvalidPart and the upload stays open")
  void wrongEtagIsInvalidPart() {
    String id = create("wrong-etag", null);
    HttpResponse<Buffer> part = sendPart(service, id, 1, random(100, 4));
    String etag = part.bodyAsJsonObject().getString("etag");
    JsonObject wrong = new JsonObject().put("parts", new JsonArray()
        .add(new JsonObject().put("part", 1).put("etag", "\"" + "0".repeat(32) + "\"")));
    assertError(complete(id, wrong), 400, "InvalidPart");
    JsonObject missing = new JsonObject().put("parts", new JsonArray()
        .add(new JsonObject().put("part", 1).put("etag", etag))
        .add(new JsonObject().put("part", 2).put("etag", etag)));
    assertError(complete(id, missing), 400, "InvalidPart");
    assertError(complete(id, new JsonObject().put("parts", "all")), 400, "InvalidArgument");
    assertEquals(1, service.get("/uploads/" + id).bodyAsJsonObject().getJsonArray("parts").size());
    JsonObject right = new JsonObject().put("parts", new JsonArray()
        .add(new JsonObject().put("part", 1).put("etag", etag.replace("\"", ""))));
    assertEquals(201, complete(id, right).statusCode());
  }

  @Test
  @DisplayName("A part but the last under 5 MiB is 400 EntityTooSmall at completion and the upload stays open")
  void smallPartIsEntityTooSmall() throws Exception {
    String id = create("too-small", null);
    sendPart(service, id, 1, random(1024, 5));
    sendPart(service, id, 2, random(1024, 6));
    assertError(service.send(HttpMethod.POST, "/uploads/" + id + "/complete"), 400, "EntityTooSmall");
    assertEquals(2, service.get("/uploads/" + id).bodyAsJsonObject().getJsonArray("parts").size());
    assertEquals(204, service.send(HttpMethod.DELETE, "/uploads/" + id).statusCode());
    assertUploadGone(service, bucket, id);
  }

  @Test
  @DisplayName("A wrong X-Checksum-Sha256 on completion is 400 BadDigest: the old object stays, the upload stays "
      + "open; a wrong part checksum stores nothing")
  void badDigestKeepsOldObject() throws Exception {
    byte[] whole = random(MIN_PART + 5, 7);
    assertEquals(201, service.put("/objects/" + bucket + "/guarded", Buffer.buffer("old")).statusCode());
    String id = create("guarded", null);
    String etag1 = sendPart(service, id, 1, slice(whole, 1).getBytes()).bodyAsJsonObject().getString("etag");
    sendPart(service, id, 2, slice(whole, 2).getBytes());
    HttpResponse<Buffer> badPart = service.request(HttpMethod.PUT, "/uploads/" + id + "/parts/2")
        .putHeader("X-Checksum-Sha256", sha256(new byte[] {1})).sendBuffer(Buffer.buffer("other")).await();
    assertError(badPart, 400, "BadDigest");
    HttpResponse<Buffer> badMd5 = service.request(HttpMethod.PUT, "/uploads/" + id + "/parts/2")
        .putHeader("Content-MD5", "AAAAAAAAAAAAAAAAAAAAAA==").sendBuffer(Buffer.buffer("other")).await();
    assertError(badMd5, 400, "BadDigest");

    HttpResponse<Buffer> bad = service.request(HttpMethod.POST, "/uploads/" + id + "/complete")
        .putHeader("X-Checksum-Sha256", sha256(new byte[] {2})).send().await();
    assertError(bad, 400, "BadDigest");
    HttpResponse<Buffer> old = service.get("/objects/" + bucket + "/guarded");
    assertEquals("old", old.bodyAsString());
    JsonArray parts = service.get("/uploads/" + id).bodyAsJsonObject().getJsonArray("parts");
    assertEquals(2, parts.size(), parts.encode());
    assertEquals(etag1, parts.getJsonObject(0).getString("etag"));
    assertEquals(5, parts.getJsonObject(1).getLong("size"));

    HttpResponse<Buffer> good = service.request(HttpMethod.POST, "/uploads/" + id + "/complete")
        .putHeader("X-Checksum-Sha256", sha256(whole)).send().await();
    assertEquals(201, good.statusCode(), good.bodyAsString());
    assertArrayEquals(whole, service.get("/objects/" + bucket + "/guarded").body().getBytes());
    assertUploadGone(service, bucket, id);
  }

  @Test
  @DisplayName("An unknown or forged upload id is 404 NoSuchUpload on every route")
  void unknownUpload() {
    for (String id : List.of("nope_x", "fs_AAAAAAAAAAAAAAAAAAAAAAAA", create("real", null) + "A")) {
      assertError(service.get("/uploads/" + id), 404, "NoSuchUpload");
      assertError(service.put("/uploads/" + id + "/parts/1", Buffer.buffer("x")), 404, "NoSuchUpload");
      assertError(service.send(HttpMethod.POST, "/uploads/" + id + "/complete"), 404, "NoSuchUpload");
      assertError(service.send(HttpMethod.DELETE, "/uploads/" + id), 404, "NoSuchUpload");
    }
    assertError(service.send(HttpMethod.POST, "/uploads/no-such-bucket-u/k"), 404, "NoSuchBucket");
    assertError(service.send(HttpMethod.POST, "/uploads/" + bucket), 400, "InvalidArgument");
  }

  @Test
  @DisplayName("A part number outside 1-10000 is 400 InvalidArgument; a part over 5 GiB is 413 before its body")
  void partLimits() throws Exception {
    String id = create("limits", null);
    for (String n : List.of("0", "10001", "-1", "x", "99999999999")) {
      assertError(service.put("/uploads/" + id + "/parts/" + n, Buffer.buffer("x")), 400, "InvalidArgument");
    }
    assertEquals(200, sendPart(service, id, 10000, new byte[] {1}).statusCode());
    String answer = rawExchange("PUT /uploads/" + id + "/parts/1 HTTP/1.1\r\nHost: x\r\n"
        + "Content-Length: " + (5L * 1024 * 1024 * 1024 + 1) + "\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
    assertTrue(answer.contains("EntityTooLarge"), answer);
  }

  @Test
  @DisplayName("An upload older than uploads.expireAfter is aborted by the service itself")
  void abandonedUploadExpires() throws Exception {
    Path other = dir.resolve("expiring");
    Map<String, String> env = new HashMap<>(backendSettings(other));
    env.put("STORAGE_UPLOADS_EXPIREAFTER", "2s");
    try (TestService expiring = TestService.start(other, env)) {
      assertEquals(201, expiring.send(HttpMethod.POST, "/buckets/" + bucket).statusCode());
      HttpResponse<Buffer> created = expiring.send(HttpMethod.POST, "/uploads/" + bucket + "/abandoned");
      assertEquals(201, created.statusCode(), created.bodyAsString());
      String id = created.bodyAsJsonObject().getString("uploadId");
      assertEquals(200, sendPart(expiring, id, 1, random(1000, 8)).statusCode());
      long deadline = System.currentTimeMillis() + 15_000;
      while (expiring.get("/uploads/" + id).statusCode() == 200) {
        assertTrue(System.currentTimeMillis() < deadline, "the upload did not expire");
        Thread.sleep(250);
      }
      assertError(expiring.get("/uploads/" + id), 404, "NoSuchUpload");
      assertUploadGone(expiring, bucket, id);
    }
  }

  // ---------------------------------------------------------------- helpers

  private String create(String key, JsonObject body) {
    var request = service.request(HttpMethod.POST, "/uploads/" + bucket + "/" + key);
    HttpResponse<Buffer> r = body == null ? request.send().await() : request.sendJsonObject(body).await();
    assertEquals(201, r.statusCode(), r.bodyAsString());
    JsonObject json = r.bodyAsJsonObject();
    assertEquals(bucket, json.getString("bucket"));
    assertEquals(key, json.getString("key"));
    assertFalse(json.getString("uploadId").isEmpty());
    return json.getString("uploadId");
  }

  private HttpResponse<Buffer> complete(String id, JsonObject body) {
    return service.request(HttpMethod.POST, "/uploads/" + id + "/complete").sendJsonObject(body).await();
  }

  protected static HttpResponse<Buffer> sendPart(TestService service, String id, int n, byte[] bytes) {
    return service.request(HttpMethod.PUT, "/uploads/" + id + "/parts/" + n).sendBuffer(Buffer.buffer(bytes))
        .await();
  }

  /** Part {@code n} of {@code whole}: {@link #MIN_PART}-byte parts, the last one shorter. */
  private static Buffer slice(byte[] whole, int n) {
    int from = (n - 1) * MIN_PART;
    return Buffer.buffer(whole).slice(from, Math.min(whole.length, from + MIN_PART));
  }

  private String rawExchange(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", service.port())) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      byte[] buf = new byte[4096];
      int n = socket.getInputStream().read(buf);
      return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.US_ASCII);
    }
  }

  protected static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  protected static String sha256(byte[] data) {
    return digest("SHA-256", data);
  }

  protected static String md5(byte[] data) {
    return digest("MD5", data);
  }

  private static String digest(String algorithm, byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  protected static void assertError(HttpResponse<Buffer> r, int status, String code) {
    ObjectApiContract.assertError(r, status, code);
  }
}
