package com.dante.cacciaguida.storage.fs;

import com.dante.cacciaguida.presign.PresignSigner;
import com.dante.cacciaguida.storage.ByteRange;
import com.dante.cacciaguida.storage.GetOptions;
import com.dante.cacciaguida.storage.ListQuery;
import com.dante.cacciaguida.storage.ObjectInfo;
import com.dante.cacciaguida.storage.ObjectNames;
import com.dante.cacciaguida.storage.ObjectRead;
import com.dante.cacciaguida.storage.PresignRequest;
import com.dante.cacciaguida.storage.PresignedUrl;
import com.dante.cacciaguida.storage.PutOptions;
import com.dante.cacciaguida.storage.StorageError;
import com.dante.cacciaguida.storage.StorageException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static com.dante.cacciaguida.storage.fs.Await.failure;
import static com.dante.cacciaguida.storage.fs.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class FsObjectStorageTest {

  private static final String BUCKET = "datasets";
  private static final byte[] SECRET = "test-secret".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path root;

  private Vertx vertx;
  private FsObjectStorage storage;
  private ObjectServer server;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    storage = new FsObjectStorage(vertx, root, true, SECRET);
    result(storage.start());
    result(storage.ensureBucket(BUCKET));
    server = result(ObjectServer.start(vertx, storage));
  }

  @AfterEach
  void tearDown() {
    result(server.close());
  }

  @Test
  @DisplayName("an object put in chunks reads back byte for byte with its size, ETag and SHA-256, and is gone after delete")
  void roundTrip() throws Exception {
    Buffer content = randomBytes(100_000, 1);

    ObjectInfo put = put("docs/2026/readme.txt", content);

    assertEquals("docs/2026/readme.txt", put.getKey());
    assertEquals(100_000, put.getSize());
    assertEquals("\"" + hex("MD5", content) + "\"", put.getEtag());
    assertEquals(hex("SHA-256", content), put.getSha256());
    assertEquals("text/plain", put.getContentType());
    assertEquals(put, result(storage.stat(BUCKET, "docs/2026/readme.txt")));
    assertEquals(content, fetch("docs/2026/readme.txt"));

    result(storage.delete(BUCKET, "docs/2026/readme.txt"));

    assertError(StorageError.NoSuchKey, storage.stat(BUCKET, "docs/2026/readme.txt"));
    assertError(StorageError.NoSuchKey, storage.get(BUCKET, "docs/2026/readme.txt", GetOptions.whole()));
    try (Stream<Path> left = Files.list(root.resolve(BUCKET))) {
      assertEquals(List.of(), left.toList(), "emptied parent directories are removed");
    }
  }

  @Test
  @DisplayName("an overwrite replaces the whole object and leaves no temp file")
  void overwrite() throws IOException {
    put("model.bin", randomBytes(50_000, 1));
    Buffer second = randomBytes(20_000, 2);

    ObjectInfo info = put("model.bin", second);

    assertEquals(second, fetch("model.bin"));
    assertEquals(info.getEtag(), result(storage.stat(BUCKET, "model.bin")).getEtag());
    assertTempEmpty();
  }

  @Test
  @DisplayName("a key and a key below it ('a' and 'a/b') exist side by side")
  void fileAndDirectoryOfTheSameName() {
    put("a", Buffer.buffer("file a"));
    put("a/b", Buffer.buffer("file a/b"));

    assertEquals(Buffer.buffer("file a"), fetch("a"));
    assertEquals(Buffer.buffer("file a/b"), fetch("a/b"));

    result(storage.delete(BUCKET, "a"));
    assertEquals(Buffer.buffer("file a/b"), fetch("a/b"));
    assertError(StorageError.NoSuchKey, storage.stat(BUCKET, "a"));
  }

  @Test
  @DisplayName("a 1024-byte single-segment key, long unicode segments and odd characters round-trip and list")
  void longAndUnicodeKeys() throws IOException {
    List<String> keys = List.of(
        "x".repeat(1024),
        "deep/" + "é".repeat(300) + "/file",
        "日本語/データ.bin",
        "spaces and %2F+?#&.txt",
        "...",
        ".hidden/..dots",
        "trailing/",
        "double//slash");
    for (String key : keys) {
      put(key, Buffer.buffer("content of " + key));
    }

    for (String key : keys) {
      assertEquals(Buffer.buffer("content of " + key), fetch(key), key);
      assertEquals(key, result(storage.stat(BUCKET, key)).getKey());
    }
    List<String> listed = result(storage.list(BUCKET, new ListQuery("", true, null, 1000))).stream()
        .map(ObjectInfo::getKey).toList();
    assertEquals(keys.stream().sorted(ObjectNames.KEY_ORDER).toList(), listed);

    for (String key : keys) {
      result(storage.delete(BUCKET, key));
    }
    try (Stream<Path> left = Files.list(root.resolve(BUCKET))) {
      assertEquals(List.of(), left.toList(), "hashed directories and their names are removed too");
    }
  }

  @Test
  @DisplayName("no key, however written, puts a file outside its bucket directory")
  void keysStayInsideTheBucket() throws IOException {
    List<String> keys = List.of("...", "..a", "a/...", "%2e%2e", "..\\..\\x", "a/.b", ".tmp", "~/x", "a:b");
    for (String key : keys) {
      put(key, Buffer.buffer(key));
    }

    try (Stream<Path> all = Files.walk(root)) {
      List<Path> outside = all.filter(Files::isRegularFile)
          .filter(p -> !p.startsWith(root.resolve(BUCKET)))
          .toList();
      assertEquals(List.of(), outside);
    }
    try (Stream<Path> all = Files.walk(root.resolve(BUCKET))) {
      assertTrue(all.skip(1).allMatch(p -> "oOdD".indexOf(p.getFileName().toString().charAt(0)) >= 0),
          "every name in the bucket carries a kind prefix");
    }
  }

  @Test
  @DisplayName("a body that fails mid-way (client gone) leaves the previous object intact and no temp file")
  void failedBodyKeepsThePreviousObject() throws IOException {
    Buffer old = randomBytes(30_000, 1);
    put("ckpt.pt", old);

    Throwable failure = failure(storage.put(BUCKET, "ckpt.pt",
        TestBody.failingAfter(vertx, randomBytes(40_000, 2), new HttpClosedException("client gone")),
        new PutOptions("application/octet-stream", 100_000, Long.MAX_VALUE, null, null)));

    assertInstanceOf(HttpClosedException.class, failure);
    assertEquals(old, fetch("ckpt.pt"));
    assertTempEmpty();
  }

  @Test
  @DisplayName("a body with the wrong digest, too large or too short is refused and stores nothing")
  void refusedBodiesStoreNothing() throws IOException {
    Buffer old = randomBytes(10_000, 1);
    put("weights", old);
    Buffer body = randomBytes(10_000, 2);

    assertError(StorageError.BadDigest, storage.put(BUCKET, "weights", TestBody.of(vertx, body),
        new PutOptions("application/octet-stream", body.length(), Long.MAX_VALUE, null, "00".repeat(32))));
    assertError(StorageError.EntityTooLarge, storage.put(BUCKET, "weights", TestBody.of(vertx, body),
        new PutOptions("application/octet-stream", -1, 9_999, null, null)));
    assertError(StorageError.IncompleteBody, storage.put(BUCKET, "weights", TestBody.of(vertx, body),
        new PutOptions("application/octet-stream", body.length() + 1, Long.MAX_VALUE, null, null)));
    assertError(StorageError.BadDigest, storage.put(BUCKET, "new-key", TestBody.of(vertx, body),
        new PutOptions("application/octet-stream", body.length(), Long.MAX_VALUE, "AAAAAAAAAAAAAAAAAAAAAA==", null)));

    assertEquals(old, fetch("weights"));
    assertError(StorageError.NoSuchKey, storage.stat(BUCKET, "new-key"));
    assertTempEmpty();
  }

  @Test
  @DisplayName("8 concurrent puts to one key leave exactly one of the bodies, whole, with its own ETag")
  void concurrentPuts() throws Exception {
    List<Buffer> bodies = new ArrayList<>();
    List<Future<ObjectInfo>> puts = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Buffer body = randomBytes(200_000 + i, i);
      bodies.add(body);
      puts.add(storage.put(BUCKET, "shared/key", TestBody.of(vertx, body),
          new PutOptions("application/octet-stream", body.length(), Long.MAX_VALUE, null, null)));
    }
    result(Future.all(puts));

    Buffer stored = fetch("shared/key");
    assertTrue(bodies.contains(stored), "the stored content is one of the bodies, not a mix");
    assertEquals("\"" + hex("MD5", stored) + "\"", result(storage.stat(BUCKET, "shared/key")).getEtag());
    assertTempEmpty();
  }

  @Test
  @DisplayName("puts racing with deletes that prune their parent directories all succeed")
  void putsRaceWithPruningDeletes() {
    AtomicBoolean writing = new AtomicBoolean(true);
    Future<Void> pruner = pruneUntilDone("race/dir/none", writing);
    List<Future<Void>> writers = new ArrayList<>();
    for (int writer = 0; writer < 4; writer++) {
      writers.add(putAndDelete("race/dir/w" + writer + "-", 0, 30));
    }

    Future<?> writersDone = Future.all(writers).onComplete(ar -> writing.set(false));
    result(writersDone);
    result(pruner);

    assertEquals(List.of(), result(storage.list(BUCKET, new ListQuery("race/", true, null, 10))));
    assertTempEmpty();
  }

  /** Puts a key, checks it reads back, deletes it (pruning its directories), and goes on with the next one. */
  private Future<Void> putAndDelete(String keyPrefix, int index, int count) {
    if (index == count) {
      return Future.succeededFuture();
    }
    String key = keyPrefix + index;
    Buffer body = Buffer.buffer(key);
    return storage.put(BUCKET, key, TestBody.of(vertx, body),
            new PutOptions("text/plain", body.length(), Long.MAX_VALUE, null, null))
        .compose(info -> storage.stat(BUCKET, key))
        .compose(info -> storage.delete(BUCKET, key))
        .compose(v -> putAndDelete(keyPrefix, index + 1, count));
  }

  /** Deletes a missing key over and over, each time pruning the empty directories, until the writers are done. */
  private Future<Void> pruneUntilDone(String missingKey, AtomicBoolean writing) {
    Promise<Void> done = Promise.promise();
    prune(missingKey, writing, done);
    return done.future();
  }

  // a loop of callbacks, not of composed futures: thousands of nested futures overflow the stack when they complete
  private void prune(String missingKey, AtomicBoolean writing, Promise<Void> done) {
    storage.delete(BUCKET, missingKey).onComplete(deleted -> {
      if (deleted.failed()) {
        done.fail(deleted.cause());
      } else if (writing.get()) {
        prune(missingKey, writing, done);
      } else {
        done.complete();
      }
    });
  }

  @Test
  @DisplayName("start removes temp files older than 15 minutes and keeps fresh ones (another instance's uploads)")
  void staleTempFilesAreRemovedOnStart() throws IOException {
    Path tmp = root.resolve(".tmp");
    Path stale = Files.writeString(tmp.resolve("stale.put"), "left by a crash");
    Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
    Path fresh = Files.writeString(tmp.resolve("fresh.put"), "being written");

    result(new FsObjectStorage(vertx, root, false, SECRET).start());

    assertFalse(Files.exists(stale));
    assertTrue(Files.exists(fresh));
  }

  @Test
  @DisplayName("reads decide range (206, 416) and conditions (304, 412) from the stored metadata")
  void rangeAndConditionalReads() {
    ObjectInfo info = put("range.bin", randomBytes(1000, 3));

    ObjectRead ranged = result(storage.get(BUCKET, "range.bin", options(ByteRange.parse("bytes=10-19"), null, null)));
    assertEquals(206, ranged.status());
    assertEquals(new ByteRange.Slice(10, 10, 1000), ranged.slice());
    result(ranged.close());

    ObjectRead whole = result(storage.get(BUCKET, "range.bin", GetOptions.whole()));
    assertEquals(200, whole.status());
    assertEquals(new ByteRange.Slice(0, 1000, 1000), whole.slice());
    assertEquals(info, whole.info());
    result(whole.close());

    ObjectRead notModified = result(storage.get(BUCKET, "range.bin", options(null, null, info.getEtag())));
    assertEquals(304, notModified.status());
    result(notModified.close());

    assertError(StorageError.PreconditionFailed,
        storage.get(BUCKET, "range.bin", options(null, "\"0123456789abcdef0123456789abcdef\"", null)));
    assertError(StorageError.InvalidRange, storage.get(BUCKET, "range.bin", options(ByteRange.parse("bytes=1000-"), null, null)));
  }

  @Test
  @DisplayName("an upload the disk cannot take (temp directory gone) is InternalError and keeps the previous object")
  void diskFailureIsInternalError() throws IOException {
    Buffer old = randomBytes(1000, 1);
    put("on-disk", old);
    Files.delete(root.resolve(".tmp"));

    assertError(StorageError.InternalError, storage.put(BUCKET, "on-disk", TestBody.of(vertx, randomBytes(10, 2)),
        new PutOptions("application/octet-stream", 10, Long.MAX_VALUE, null, null)));

    assertEquals(old, fetch("on-disk"));
  }

  @Test
  @DisplayName("a missing bucket is NoSuchBucket for every operation; deleting a missing key succeeds")
  void missingBucketAndKey() {
    Buffer body = Buffer.buffer("x");
    assertError(StorageError.NoSuchBucket, storage.put("missing", "k", TestBody.of(vertx, body),
        new PutOptions("text/plain", 1, 10, null, null)));
    assertError(StorageError.NoSuchBucket, storage.get("missing", "k", GetOptions.whole()));
    assertError(StorageError.NoSuchBucket, storage.stat("missing", "k"));
    assertError(StorageError.NoSuchBucket, storage.delete("missing", "k"));
    assertError(StorageError.NoSuchBucket, storage.list("missing", new ListQuery("", true, null, 10)));

    result(storage.delete(BUCKET, "never/existed"));
    assertError(StorageError.NoSuchKey, storage.get(BUCKET, "never/existed", GetOptions.whole()));
    assertTempEmpty();
  }

  @Test
  @DisplayName("ensureBucket is idempotent and the new bucket lists empty")
  void ensureBucketTwice() {
    result(storage.ensureBucket("fresh-bucket"));
    result(storage.ensureBucket("fresh-bucket"));

    assertEquals(List.of(), result(storage.list("fresh-bucket", new ListQuery("", true, null, 10))));
  }

  @Test
  @DisplayName("the deep check writes, reads and deletes a probe that no listing shows; a missing root is DOWN")
  void healthCheck() throws IOException {
    result(storage.check(true));
    assertTempEmpty();
    assertEquals(List.of(), result(storage.list(BUCKET, new ListQuery("", true, null, 10))));

    Path gone = root.resolve("not-there");
    assertError(StorageError.ServiceUnavailable, new FsObjectStorage(vertx, gone, false, SECRET).check(false));
  }

  @Test
  @DisplayName("a presigned URL points at the object's route of this service and carries a verifiable signature")
  void presignedUrl() {
    PresignedUrl url = result(storage.presign(BUCKET, "dir/ü b.bin",
        new PresignRequest("PUT", Duration.ofMinutes(15), "http://storage.local:8082")));

    String prefix = "http://storage.local:8082/objects/datasets/dir/%C3%BC%20b.bin?X-Expires=";
    assertTrue(url.getUrl().startsWith(prefix), url.getUrl());
    String[] query = url.getUrl().substring(prefix.length()).split("&X-Signature=");
    assertEquals(url.getExpiresAt().getEpochSecond(), Long.parseLong(query[0]));
    assertTrue(Duration.between(Instant.now(), url.getExpiresAt()).toSeconds() > 890);
    new PresignSigner(SECRET).verify("PUT", BUCKET, "dir/ü b.bin", query[0], query[1], Instant.now());
    assertEquals("PUT", url.getMethod());
  }

  private ObjectInfo put(String key, Buffer content) {
    String type = key.endsWith(".txt") ? "text/plain" : "application/octet-stream";
    return result(storage.put(BUCKET, key, TestBody.of(vertx, content),
        new PutOptions(type, content.length(), Long.MAX_VALUE, null, null)));
  }

  private Buffer fetch(String key) {
    var response = result(server.fetch(BUCKET, key, null));
    assertEquals(200, response.statusCode(), () -> response.bodyAsString());
    return response.body() == null ? Buffer.buffer() : response.body();
  }

  private void assertTempEmpty() {
    try (Stream<Path> temps = Files.list(root.resolve(".tmp"))) {
      assertEquals(List.of(), temps.toList(), "temp files left behind");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static GetOptions options(ByteRange range, String ifMatch, String ifNoneMatch) {
    return new GetOptions(range, ifMatch, ifNoneMatch, null, null, null, false);
  }

  static void assertError(StorageError expected, Future<?> operation) {
    Throwable failure = failure(operation);
    assertInstanceOf(StorageException.class, failure, () -> "unexpected " + failure);
    assertEquals(expected, ((StorageException) failure).error(), failure::getMessage);
  }

  static Buffer randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return Buffer.buffer(bytes);
  }

  private static String hex(String algorithm, Buffer content) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content.getBytes()));
  }
}
