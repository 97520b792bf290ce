package com.dante.cacciaguida.cluster;

import com.dante.cacciaguida.TestService;
import com.dante.cacciaguida.health.HealthVerticle;
import com.dante.cacciaguida.storage.InlineObject;
import com.dante.cacciaguida.storage.ObjectInfo;
import com.dante.cacciaguida.storage.PresignedUrl;
import com.dante.cacciaguida.storage.StorageError;
import com.dante.cacciaguida.storage.StorageException;
import com.dante.cacciaguida.storage.StorageService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * API.md 5 across a real Hazelcast cluster: a service node and two caller nodes that run no storage verticle.
 * One caller uses the generated proxy; the other never touches a service-proxy class (no proxy created, so no
 * ServiceException codec registered on it) and sends raw {@code action} messages, as a caller in another
 * language would.
 */
@DisplayName("Event-bus API over a Hazelcast cluster")
class EventBusApiTest {

  private static final long MAX_INLINE = 1024;
  private static final DeliveryOptions TIMEOUT = new DeliveryOptions().setSendTimeout(10_000);

  @TempDir
  static Path dir;

  private static TestCluster cluster;
  private static TestService service;
  private static Vertx plainCaller;
  private static StorageService proxy;

  @BeforeAll
  static void startCluster() {
    cluster = new TestCluster(3);
    service = cluster.service(0, dir, Map.of("STORAGE_EVENTBUS_MAXINLINESIZE", Long.toString(MAX_INLINE)));
    plainCaller = cluster.caller(1);
    proxy = StorageService.createProxy(cluster.caller(2), StorageService.DEFAULT_ADDRESS, TIMEOUT);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @Test
  @DisplayName("Another node of the cluster asks for the service's health on the bus, for all nodes or for one")
  void healthOverTheBus() {
    JsonObject any = plainCaller.eventBus().<JsonObject>request(HealthVerticle.ADDRESS, new JsonObject(), TIMEOUT)
        .await().body();
    assertEquals("UP", any.getString("status"), any.encode());
    assertEquals("storage", any.getJsonArray("checks").getJsonObject(0).getString("id"));
    String node = HealthVerticle.ADDRESS + "." + service.app().config().instanceId();
    JsonObject deep = plainCaller.eventBus().<JsonObject>request(node, new JsonObject().put("deep", true), TIMEOUT)
        .await().body();
    assertEquals("UP", deep.getString("status"), deep.encode());
  }

  @Test
  @DisplayName("The generated proxy on another node runs every operation")
  void proxyRunsEveryOperation() {
    String bucket = bucket();
    proxy.ensureBucket(bucket).await();
    proxy.ensureBucket(bucket).await();

    ObjectInfo put = proxy.putObject(bucket, "docs/readme.txt", null, Buffer.buffer("hello bus")).await();
    assertEquals("docs/readme.txt", put.getKey());
    assertEquals(9, put.getSize());
    assertEquals("text/plain", put.getContentType().split(";")[0]);
    assertTrue(put.getEtag().startsWith("\"") && put.getEtag().endsWith("\""), put.getEtag());

    InlineObject got = proxy.getObject(bucket, "docs/readme.txt").await();
    assertEquals("hello bus", got.getData().toString());
    assertEquals(put.getEtag(), got.getInfo().getEtag());
    assertEquals(put, proxy.stat(bucket, "docs/readme.txt").await());

    for (String key : List.of("a", "b", "c", "d/e")) {
      proxy.putObject(bucket, key, "application/octet-stream", Buffer.buffer(key)).await();
    }
    assertEquals(List.of("a", "b"), keys(proxy.list(bucket, null, null, 2, null).await()));
    assertEquals(List.of("c", "d/e"), keys(proxy.list(bucket, "", true, 2, "b").await()));
    assertEquals(List.of("docs/readme.txt"), keys(proxy.list(bucket, "", true, 2, "d/e").await()));
    assertEquals(List.of("a", "b", "c", "d/", "docs/"), keys(proxy.list(bucket, null, false, null, null).await()));

    PresignedUrl url = proxy.presign(bucket, "docs/readme.txt", "GET", "1h", null).await();
    assertEquals("GET", url.getMethod());
    assertEquals(bucket, url.getBucket());
    assertEquals("docs/readme.txt", url.getKey());
    assertBetween(Instant.now().plus(Duration.ofMinutes(59)), url.getExpiresAt(),
        Instant.now().plus(Duration.ofMinutes(61)));
    HttpResponse<Buffer> fetched = WebClient.create(plainCaller).getAbs(url.getUrl()).send().await();
    assertEquals(200, fetched.statusCode(), url.getUrl());
    assertEquals("hello bus", fetched.bodyAsString());

    proxy.delete(bucket, "docs/readme.txt").await();
    proxy.delete(bucket, "docs/readme.txt").await();
    ReplyException gone = failure(proxy.stat(bucket, "docs/readme.txt"));
    assertEquals(404, gone.failureCode());
    assertEquals(StorageError.NoSuchKey, StorageException.from(gone).error());
  }

  @Test
  @DisplayName("The generated proxy gets failures with their HTTP status as failure code")
  void proxyFailures() {
    String bucket = bucket();
    proxy.ensureBucket(bucket).await();
    assertFailure(failure(proxy.stat(bucket, "missing")), 404, StorageError.NoSuchKey);
    assertFailure(failure(proxy.list("no-such-bucket-" + UUID.randomUUID(), null, null, null, null)), 404,
        StorageError.NoSuchBucket);
    assertFailure(failure(proxy.ensureBucket("Bad_Bucket")), 400, StorageError.InvalidBucketName);
    assertFailure(failure(proxy.stat(bucket, "a/../b")), 400, StorageError.InvalidObjectKey);
    assertFailure(failure(proxy.list(bucket, null, null, 0, null)), 400, StorageError.InvalidArgument);
    assertFailure(failure(proxy.presign(bucket, "k", "POST", null, null)), 400, StorageError.InvalidArgument);
    assertFailure(failure(proxy.presign(bucket, "k", "GET", "soon", null)), 400, StorageError.InvalidArgument);
    assertFailure(failure(proxy.putObject(bucket, "big", null, Buffer.buffer(new byte[(int) MAX_INLINE + 1]))),
        413, StorageError.EntityTooLarge);
  }

  @Test
  @DisplayName("Raw action messages from a vertx-core-only node run every operation with API.md 5's JSON")
  void rawMessagesRunEveryOperation() {
    String bucket = bucket();
    assertNull(call("ensureBucket", new JsonObject().put("bucket", bucket)));

    byte[] bytes = "bytes with ünïcode and \u0000 nul".getBytes(StandardCharsets.UTF_8);
    String data = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    JsonObject put = (JsonObject) call("putObject", new JsonObject().put("bucket", bucket).put("key", "raw/one.bin")
        .put("data", data));
    assertEquals("raw/one.bin", put.getString("key"));
    assertEquals(bytes.length, put.getLong("size"));
    assertEquals("application/octet-stream", put.getString("contentType"));
    assertTrue(put.getString("etag").matches("\"[0-9a-f]{32}\""), put.getString("etag"));
    Instant.parse(put.getString("lastModified"));

    JsonObject got = (JsonObject) call("getObject", new JsonObject().put("bucket", bucket).put("key", "raw/one.bin"));
    assertEquals(data, got.getString("data"), "data is base64url without padding");
    assertEquals(put.getString("etag"), got.getString("etag"));
    assertEquals(put.getLong("size"), got.getLong("size"));

    JsonObject stat = (JsonObject) call("stat", new JsonObject().put("bucket", bucket).put("key", "raw/one.bin"));
    assertEquals(put, stat);

    call("putObject", new JsonObject().put("bucket", bucket).put("key", "raw/two.txt").put("contentType", "text/csv")
        .put("data", Base64.getUrlEncoder().encodeToString("x,y".getBytes(StandardCharsets.UTF_8))));
    call("putObject", new JsonObject().put("bucket", bucket).put("key", "top"));
    JsonArray all = (JsonArray) call("list", new JsonObject().put("bucket", bucket));
    assertEquals(List.of("raw/one.bin", "raw/two.txt", "top"), keys(all));
    assertEquals(0, all.getJsonObject(2).getLong("size"));
    JsonArray page = (JsonArray) call("list", new JsonObject().put("bucket", bucket).put("prefix", "raw/")
        .put("maxKeys", 1).put("startAfter", "raw/one.bin"));
    assertEquals(List.of("raw/two.txt"), keys(page));
    assertEquals("text/csv", page.getJsonObject(0).getString("contentType"));
    assertEquals(List.of("raw/", "top"),
        keys((JsonArray) call("list", new JsonObject().put("bucket", bucket).put("recursive", false))));

    JsonObject presigned = (JsonObject) call("presign", new JsonObject().put("bucket", bucket)
        .put("key", "raw/one.bin").put("method", "PUT"));
    assertEquals(Map.of("url", true, "method", "PUT", "key", "raw/one.bin", "bucket", bucket, "expiresAt", true),
        Map.of("url", presigned.getString("url").startsWith("http://127.0.0.1:" + service.port() + "/objects/"),
            "method", presigned.getString("method"), "key", presigned.getString("key"),
            "bucket", presigned.getString("bucket"), "expiresAt", presigned.containsKey("expiresAt")));
    assertBetween(Instant.now().plus(Duration.ofMinutes(14)), Instant.parse(presigned.getString("expiresAt")),
        Instant.now().plus(Duration.ofMinutes(16)));

    assertNull(call("delete", new JsonObject().put("bucket", bucket).put("key", "raw/one.bin")));
    assertFailure(rawFailure("stat", new JsonObject().put("bucket", bucket).put("key", "raw/one.bin")), 404,
        StorageError.NoSuchKey);
  }

  @Test
  @DisplayName("A vertx-core-only node gets failures as plain ReplyExceptions: status code, \"Code: …\" message")
  void rawFailuresArePlainReplyExceptions() {
    String bucket = bucket();
    call("ensureBucket", new JsonObject().put("bucket", bucket));
    assertFailure(rawFailure("stat", new JsonObject().put("bucket", bucket).put("key", "nothing")), 404,
        StorageError.NoSuchKey);
    assertFailure(rawFailure("getObject", new JsonObject().put("bucket", bucket).put("key", "nothing")), 404,
        StorageError.NoSuchKey);
    assertFailure(rawFailure("ensureBucket", new JsonObject().put("bucket", "x")), 400,
        StorageError.InvalidBucketName);
    assertFailure(rawFailure("putObject", new JsonObject().put("bucket", bucket).put("key", "/abs")), 400,
        StorageError.InvalidObjectKey);
    String tooBig = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[(int) MAX_INLINE + 1]);
    assertFailure(rawFailure("putObject", new JsonObject().put("bucket", bucket).put("key", "big").put("data", tooBig)),
        413, StorageError.EntityTooLarge);
    assertEquals(201, service.put("/objects/" + bucket + "/big-over-http", Buffer.buffer(new byte[2048]))
        .statusCode());
    assertFailure(rawFailure("getObject", new JsonObject().put("bucket", bucket).put("key", "big-over-http")), 413,
        StorageError.EntityTooLarge);
  }

  @Test
  @DisplayName("Malformed calls (unknown action, wrong argument types, bad base64url, no body) are 400, not timeouts")
  void malformedCallsAreRefused() {
    assertFailure(rawFailure("rename", new JsonObject()), 400, StorageError.InvalidArgument);
    assertFailure(rawFailure("list", new JsonObject().put("bucket", bucket()).put("maxKeys", "ten")), 400,
        StorageError.InvalidArgument);
    assertFailure(rawFailure("list", new JsonObject().put("bucket", bucket()).put("recursive", "yes")), 400,
        StorageError.InvalidArgument);
    assertFailure(rawFailure("stat", new JsonObject().put("bucket", 7).put("key", "k")), 400,
        StorageError.InvalidArgument);
    assertFailure(rawFailure("putObject", new JsonObject().put("bucket", bucket()).put("key", "k")
        .put("data", "a+b/")), 400, StorageError.InvalidArgument);
    ReplyException noBody = assertThrows(ReplyException.class, () -> plainCaller.eventBus()
        .request(StorageService.DEFAULT_ADDRESS, null, new DeliveryOptions(TIMEOUT).addHeader("action", "stat"))
        .await());
    assertFailure(noBody, 400, StorageError.InvalidArgument);
    ReplyException noAction = assertThrows(ReplyException.class, () -> plainCaller.eventBus()
        .request(StorageService.DEFAULT_ADDRESS, new JsonObject(), TIMEOUT).await());
    assertFailure(noAction, 400, StorageError.InvalidArgument);
  }

  private static Object call(String action, JsonObject arguments) {
    return plainCaller.eventBus()
        .request(StorageService.DEFAULT_ADDRESS, arguments, new DeliveryOptions(TIMEOUT).addHeader("action", action))
        .await()
        .body();
  }

  private static ReplyException rawFailure(String action, JsonObject arguments) {
    return assertThrows(ReplyException.class, () -> call(action, arguments));
  }

  private static ReplyException failure(Future<?> call) {
    return assertThrows(ReplyException.class, call::await);
  }

  /** Exactly vertx-core's ReplyException, answered by the service (not a timeout), with code and message. */
  private static void assertFailure(ReplyException failure, int status, StorageError error) {
    assertSame(ReplyException.class, failure.getClass(), "decodable with vertx-core only");
    assertEquals(ReplyFailure.RECIPIENT_FAILURE, failure.failureType(), failure.getMessage());
    assertEquals(status, failure.failureCode(), failure.getMessage());
    assertNotNull(failure.getMessage());
    assertTrue(failure.getMessage().startsWith(error.name() + ": "), failure.getMessage());
    assertFalse(failure.getMessage().substring(error.name().length() + 2).isBlank());
  }

  private static void assertBetween(Instant low, Instant actual, Instant high) {
    assertTrue(!actual.isBefore(low) && !actual.isAfter(high), low + " <= " + actual + " <= " + high);
  }

  private static List<String> keys(List<ObjectInfo> infos) {
    return infos.stream().map(ObjectInfo::getKey).toList();
  }

  private static List<String> keys(JsonArray infos) {
    return infos.stream().map(o -> ((JsonObject) o).getString("key")).toList();
  }

  private static String bucket() {
    return "bus-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
