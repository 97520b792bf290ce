package com.dante.cacciaguida.storage.s3;

import com.dante.cacciaguida.config.StorageConfig;
import com.dante.cacciaguida.storage.ByteRange;
import com.dante.cacciaguida.storage.GetOptions;
import com.dante.cacciaguida.storage.HttpDate;
import com.dante.cacciaguida.storage.ListQuery;
import com.dante.cacciaguida.storage.ObjectInfo;
import com.dante.cacciaguida.storage.ObjectRead;
import com.dante.cacciaguida.storage.PresignRequest;
import com.dante.cacciaguida.storage.PresignedUrl;
import com.dante.cacciaguida.storage.PutOptions;
import com.dante.cacciaguida.storage.StorageError;
import com.dante.cacciaguida.storage.StorageException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flows of the S3 backend, run against a real S3 server given by the subclass (S3Proxy in this JVM, or MinIO
 * in a container). Reads go through a small HTTP server that hands {@link com.dante.cacciaguida.storage.ObjectRead}s
 * to real responses, read by a plain HTTP client. What the server holds is checked with an SDK client of its own.
 */
abstract class S3StorageFlows {

  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  static final long MAX_SIZE = 1L << 30;

  protected Vertx vertx;
  protected S3ObjectStorage storage;
  protected String bucket;
  private HttpServer readServer;
  protected final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** The server's config; the default bucket is created by the backend. */
  protected abstract StorageConfig.Minio minio(String defaultBucket);

  /** A client of the server's own, for assertions. */
  protected abstract S3Client assertions();

  @BeforeEach
  void startBackend() throws Exception {
    vertx = Vertx.vertx();
    bucket = "b-" + UUID.randomUUID().toString().substring(0, 8);
    storage = new S3ObjectStorage(vertx, minio(bucket), REQUEST_TIMEOUT);
    await(storage.start());
    readServer = await(vertx.createHttpServer().requestHandler(this::serveRead).listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stopBackend() throws Exception {
    await(storage.close());
    await(vertx.close());
  }

  @Test
  @DisplayName("put, stat, get, list and delete round-trip a small object with its content type and ETag")
  void roundTrip() throws Exception {
    byte[] content = "hello, paradise".getBytes(StandardCharsets.UTF_8);
    ObjectInfo put = await(onContext(() -> storage.put(bucket, "docs/canto.txt", body(content),
        new PutOptions("text/plain", content.length, MAX_SIZE, null, null))));
    assertEquals("\"" + md5Hex(content) + "\"", put.getEtag());
    assertEquals(content.length, put.getSize());
    assertNotNull(put.getLastModified());

    ObjectInfo stat = await(storage.stat(bucket, "docs/canto.txt"));
    assertEquals(put, stat);
    assertEquals("text/plain", stat.getContentType());

    HttpResponse<byte[]> got = read("docs/canto.txt", Map.of());
    assertEquals(200, got.statusCode());
    assertArrayEquals(content, got.body());
    assertEquals(put.getEtag(), got.headers().firstValue("ETag").orElseThrow());

    await(onContext(() -> storage.put(bucket, "docs/sub/deep.txt", body(content),
        new PutOptions("text/plain", content.length, MAX_SIZE, null, null))));
    await(onContext(() -> storage.put(bucket, "top.txt", body(content),
        new PutOptions("text/plain", content.length, MAX_SIZE, null, null))));
    assertEquals(List.of("docs/canto.txt", "docs/sub/deep.txt", "top.txt"),
        keys(await(storage.list(bucket, new ListQuery("", true, null, 100)))));
    assertEquals(List.of("docs/", "top.txt"), keys(await(storage.list(bucket, new ListQuery("", false, null, 100)))));
    assertEquals(List.of("docs/canto.txt", "docs/sub/"),
        keys(await(storage.list(bucket, new ListQuery("docs/", false, null, 100)))));
    assertEquals(List.of("docs/sub/deep.txt"),
        keys(await(storage.list(bucket, new ListQuery("", true, "docs/canto.txt", 1)))));
    assertEquals(List.of("top.txt"), keys(await(storage.list(bucket, new ListQuery("", false, "docs/", 10)))));

    await(storage.delete(bucket, "docs/canto.txt"));
    assertError(StorageError.NoSuchKey, storage.stat(bucket, "docs/canto.txt"));
    assertEquals(404, read("docs/canto.txt", Map.of()).statusCode());
    await(storage.delete(bucket, "never-was"));
    assertError(StorageError.NoSuchBucket, storage.delete("no-such-bucket-here", "x"));
    assertError(StorageError.NoSuchBucket, storage.stat("no-such-bucket-here", "x"));
    assertError(StorageError.NoSuchBucket, storage.list("no-such-bucket-here", new ListQuery("", true, null, 10)));
    assertError(StorageError.NoSuchBucket, onContext(() -> storage.put("no-such-bucket-here", "x", body(content),
        new PutOptions("text/plain", content.length, MAX_SIZE, null, null))));
    assertError(StorageError.NoSuchBucket, onContext(() -> storage.put("no-such-bucket-here", "x", body(content),
        new PutOptions("text/plain", -1, MAX_SIZE, null, null))));
  }

  @Test
  @DisplayName("a chunked upload of 64 MiB goes multipart, stores its SHA-256 and reads back byte for byte")
  void chunkedMultipart() throws Exception {
    long size = 64L * 1024 * 1024;
    String sha256 = GeneratedBody.sha256(size, 7);
    ObjectInfo put = await(onContext(() -> storage.put(bucket, "big.bin", new GeneratedBody(size, 7, -1),
        new PutOptions("application/octet-stream", -1, MAX_SIZE, null, sha256))));
    assertEquals(size, put.getSize());
    assertTrue(put.getEtag().matches("\"[0-9a-f]{32}-8\""), put.getEtag());
    assertEquals(sha256, put.getSha256());
    assertEquals(sha256, await(storage.stat(bucket, "big.bin")).getSha256());

    HttpResponse<InputStream> got = http.send(readRequest("big.bin", Map.of()).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, got.statusCode());
    assertEquals(sha256, got.headers().firstValue("X-Checksum-Sha256").orElseThrow());
    assertEquals(sha256, sha256(got.body()));
    assertTrue(assertions().listMultipartUploads(b -> b.bucket(bucket)).uploads().isEmpty());
  }

  @Test
  @DisplayName("a small chunked upload is one plain object and a known-length one streams as a single PutObject")
  void smallPuts() throws Exception {
    long size = 300 * 1024;
    String sha256 = GeneratedBody.sha256(size, 3);
    ObjectInfo chunked = await(onContext(() -> storage.put(bucket, "chunked.bin", new GeneratedBody(size, 3, -1),
        new PutOptions("application/x-test", -1, MAX_SIZE, null, null))));
    ObjectInfo known = await(onContext(() -> storage.put(bucket, "known.bin", new GeneratedBody(size, 3, -1),
        new PutOptions("application/x-test", size, MAX_SIZE, null, sha256))));
    assertEquals(chunked.getEtag(), known.getEtag());
    assertTrue(known.getEtag().matches("\"[0-9a-f]{32}\""), known.getEtag());
    assertNull(chunked.getSha256());
    assertEquals(sha256, known.getSha256());
    assertEquals("application/x-test", assertions().headObject(b -> b.bucket(bucket).key("known.bin")).contentType());
    assertEquals(sha256, sha256(http.send(readRequest("known.bin", Map.of()).build(),
        HttpResponse.BodyHandlers.ofInputStream()).body()));
    ObjectInfo empty = await(onContext(() -> storage.put(bucket, "empty", body(new byte[0]),
        new PutOptions("text/plain", 0, MAX_SIZE, null, null))));
    assertEquals(0, empty.getSize());
    assertArrayEquals(new byte[0], read("empty", Map.of()).body());
  }

  @Test
  @DisplayName("a body that breaks a rule (short, long, too large, wrong digest) stores nothing, keeps the old object")
  void rejectedBodies() throws Exception {
    byte[] old = "old content".getBytes(StandardCharsets.UTF_8);
    await(onContext(() -> storage.put(bucket, "keep", body(old), new PutOptions("text/plain", old.length, MAX_SIZE,
        null, null))));
    long size = 200 * 1024;
    assertError(StorageError.IncompleteBody, onContext(() -> storage.put(bucket, "keep",
        new GeneratedBody(size, 1, -1), new PutOptions("text/plain", size + 10, MAX_SIZE, null, null))));
    // S3 would take the declared length and silently drop the rest
    assertError(StorageError.IncompleteBody, onContext(() -> storage.put(bucket, "keep",
        new GeneratedBody(size + 10, 1, -1), new PutOptions("text/plain", size, MAX_SIZE, null, null))));
    assertError(StorageError.BadDigest, onContext(() -> storage.put(bucket, "keep",
        new GeneratedBody(size, 1, -1), new PutOptions("text/plain", size, MAX_SIZE,
            Base64.getEncoder().encodeToString(new byte[16]), null))));
    assertError(StorageError.BadDigest, onContext(() -> storage.put(bucket, "keep",
        new GeneratedBody(size, 1, -1), new PutOptions("text/plain", size, MAX_SIZE, null, "00".repeat(32)))));
    assertError(StorageError.EntityTooLarge, onContext(() -> storage.put(bucket, "keep",
        new GeneratedBody(20L * 1024 * 1024, 1, -1), new PutOptions("text/plain", -1, 10L * 1024 * 1024, null,
            null))));
    assertArrayEquals(old, read("keep", Map.of()).body());
    assertTrue(assertions().listMultipartUploads(b -> b.bucket(bucket)).uploads().isEmpty());
  }

  @Test
  @DisplayName("a body that fails mid-stream leaves the old object and no multipart upload behind")
  void brokenBody() throws Exception {
    byte[] old = "old content".getBytes(StandardCharsets.UTF_8);
    await(onContext(() -> storage.put(bucket, "keep", body(old), new PutOptions("text/plain", old.length, MAX_SIZE,
        null, null))));
    long big = 40L * 1024 * 1024;
    assertError(StorageError.IncompleteBody, onContext(() -> storage.put(bucket, "keep",
        new GeneratedBody(big, 2, 20L * 1024 * 1024), new PutOptions("text/plain", -1, MAX_SIZE, null, null))));
    assertError(StorageError.IncompleteBody, onContext(() -> storage.put(bucket, "keep",
        new GeneratedBody(big, 2, 30L * 1024 * 1024), new PutOptions("text/plain", big, MAX_SIZE, null, null))));
    long small = 1024 * 1024;
    assertError(StorageError.IncompleteBody, onContext(() -> storage.put(bucket, "keep",
        new GeneratedBody(small, 2, small / 2), new PutOptions("text/plain", small, MAX_SIZE, null, null))));
    assertArrayEquals(old, read("keep", Map.of()).body());
    assertTrue(assertions().listMultipartUploads(b -> b.bucket(bucket)).uploads().isEmpty());
  }

  @Test
  @DisplayName("ranges and conditions are answered 206, 304, 412 and 416 as S3 does")
  void rangesAndConditions() throws Exception {
    byte[] content = "0123456789abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.UTF_8);
    ObjectInfo put = await(onContext(() -> storage.put(bucket, "letters", body(content),
        new PutOptions("text/plain", content.length, MAX_SIZE, null, null))));

    HttpResponse<byte[]> range = read("letters", Map.of("Range", "bytes=10-19"));
    assertEquals(206, range.statusCode());
    assertEquals("abcdefghij", new String(range.body(), StandardCharsets.UTF_8));
    assertEquals("bytes 10-19/36", range.headers().firstValue("Content-Range").orElseThrow());
    HttpResponse<byte[]> suffix = read("letters", Map.of("Range", "bytes=-3"));
    assertEquals("xyz", new String(suffix.body(), StandardCharsets.UTF_8));
    assertEquals(416, read("letters", Map.of("Range", "bytes=100-")).statusCode());

    assertEquals(304, read("letters", Map.of("If-None-Match", put.getEtag())).statusCode());
    assertEquals(200, read("letters", Map.of("If-None-Match", "\"other\"")).statusCode());
    assertEquals(412, read("letters", Map.of("If-Match", "\"other\"")).statusCode());
    assertEquals(200, read("letters", Map.of("If-Match", put.getEtag())).statusCode());
    String later = "Fri, 01 Jan 2100 00:00:00 GMT";
    String earlier = "Mon, 01 Jan 2001 00:00:00 GMT";
    assertEquals(304, read("letters", Map.of("If-Modified-Since", later)).statusCode());
    assertEquals(200, read("letters", Map.of("If-Modified-Since", earlier)).statusCode());
    assertEquals(412, read("letters", Map.of("If-Unmodified-Since", earlier)).statusCode());
    assertEquals(206, read("letters", Map.of("Range", "bytes=0-0", "If-Range", put.getEtag())).statusCode());
    HttpResponse<byte[]> stale = read("letters", Map.of("Range", "bytes=0-0", "If-Range", "\"other\""));
    assertEquals(200, stale.statusCode());
    assertArrayEquals(content, stale.body());

    ObjectRead head = await(storage.get(bucket, "letters",
        new GetOptions(ByteRange.parse("bytes=1-2"), null, null, null, null, null, true)));
    assertEquals(206, head.status());
    assertEquals(new ByteRange.Slice(1, 2, 36), head.slice());
    await(head.close());
    assertError(StorageError.PreconditionFailed, storage.get(bucket, "letters",
        new GetOptions(null, "\"other\"", null, null, null, null, true)));
  }

  @Test
  @DisplayName("presigned GET and PUT URLs work with a plain HTTP client")
  void presignedUrls() throws Exception {
    PresignedUrl put = await(storage.presign(bucket, "via-url.txt",
        new PresignRequest("PUT", Duration.ofMinutes(5), null)));
    assertEquals("PUT", put.getMethod());
    assertTrue(put.getExpiresAt().isAfter(Instant.now().plusSeconds(250)));
    HttpResponse<String> stored = http.send(HttpRequest.newBuilder(URI.create(put.getUrl()))
        .PUT(HttpRequest.BodyPublishers.ofString("sent by URL")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, stored.statusCode(), stored.body());

    PresignedUrl get = await(storage.presign(bucket, "via-url.txt",
        new PresignRequest("GET", Duration.ofMinutes(5), null)));
    HttpResponse<String> got = http.send(HttpRequest.newBuilder(URI.create(get.getUrl())).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, got.statusCode());
    assertEquals("sent by URL", got.body());
    HttpResponse<String> tampered = http.send(HttpRequest.newBuilder(URI.create(get.getUrl()
        .replace("via-url.txt", "other.txt"))).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(403, tampered.statusCode());
  }

  @Test
  @DisplayName("the deep health check writes, reads and deletes a probe, leaving the bucket as it was")
  void healthCheck() throws Exception {
    assertions().putObject(b -> b.bucket(bucket).key("existing"), RequestBody.fromString("x"));
    await(storage.check(false));
    await(storage.check(true));
    assertEquals(List.of("existing"), assertions().listObjectsV2(b -> b.bucket(bucket)).contents().stream()
        .map(o -> o.key()).toList());
  }

  // ---- helpers

  /** Runs on one event-loop context, as a request handler would: the body and the backend share it. */
  protected <T> Future<T> onContext(Supplier<Future<T>> action) {
    Context context = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }

  protected static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  protected static StorageException assertError(StorageError expected, Future<?> future) {
    Exception e = assertThrows(Exception.class, () -> await(future));
    StorageException se = StorageException.from(e.getCause());
    assertNotNull(se, () -> "not a storage error: " + e);
    assertEquals(expected, se.error(), se::getMessage);
    return se;
  }

  /** A paused body of known bytes, in two chunks. */
  protected static ReadStream<Buffer> body(byte[] content) {
    int half = content.length / 2;
    return new ChunksBody(List.of(Buffer.buffer(content).slice(0, half),
        Buffer.buffer(content).slice(half, content.length)));
  }

  protected int readPort() {
    return readServer.actualPort();
  }

  protected HttpResponse<byte[]> read(String key, Map<String, String> headers) throws Exception {
    return http.send(readRequest(key, headers).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpRequest.Builder readRequest(String key, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + readServer.actualPort() + "/" + bucket + "/" + key));
    headers.forEach(b::header);
    return b;
  }

  /** Serves GET {bucket}/{key} from the backend, like the HTTP layer does, with headers enough for the tests. */
  private void serveRead(HttpServerRequest request) {
    String path = request.path().substring(1);
    int slash = path.indexOf('/');
    GetOptions options = new GetOptions(ByteRange.parse(request.getHeader("Range")), request.getHeader("If-Match"),
        request.getHeader("If-None-Match"), HttpDate.parse(request.getHeader("If-Modified-Since")),
        HttpDate.parse(request.getHeader("If-Unmodified-Since")), request.getHeader("If-Range"),
        request.method() == HttpMethod.HEAD);
    storage.get(path.substring(0, slash), path.substring(slash + 1), options)
        .onSuccess(read -> {
          request.response().setStatusCode(read.status()).putHeader("ETag", read.info().getEtag());
          if (read.info().getSha256() != null) {
            request.response().putHeader("X-Checksum-Sha256", read.info().getSha256());
          }
          if (read.status() == 304) {
            read.close();
            request.response().end();
            return;
          }
          if (read.status() == 206) {
            request.response().putHeader("Content-Range", read.slice().contentRange());
          }
          request.response().putHeader("Content-Length", String.valueOf(read.slice().length()));
          read.sendTo(request.response());
        })
        .onFailure(e -> {
          StorageException se = StorageException.from(e);
          request.response().setStatusCode(se == null ? 500 : se.failureCode()).end(String.valueOf(e.getMessage()));
        });
  }

  private static List<String> keys(List<ObjectInfo> infos) {
    return infos.stream().map(ObjectInfo::getKey).toList();
  }

  private static String md5Hex(byte[] content) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
  }

  private static String sha256(InputStream in) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (in) {
      byte[] buffer = new byte[64 * 1024];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
