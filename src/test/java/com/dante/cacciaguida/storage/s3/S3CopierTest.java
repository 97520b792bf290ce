package com.dante.cacciaguida.storage.s3;

import com.dante.cacciaguida.storage.StorageError;
import com.dante.cacciaguida.storage.StorageException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import java.time.Duration;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Server-side copies against S3Proxy, with a low single-copy limit so the multipart path runs on a small object. */
@DisplayName("S3 server-side copies")
class S3CopierTest {

  private static final String BUCKET = "copies";
  private static final int MIB = 1024 * 1024;

  private static S3ProxyServer server;
  private static Vertx vertx;
  private static S3AsyncClient s3;
  private static S3Copier copier;

  @BeforeAll
  static void start() throws Exception {
    server = S3ProxyServer.start();
    server.client().createBucket(b -> b.bucket(BUCKET));
    vertx = Vertx.vertx();
    s3 = new S3Clients(server.minioConfig(BUCKET, false), Duration.ofSeconds(30)).client();
    copier = new S3Copier(s3, 6 * MIB, 5 * MIB);
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
    vertx.close().await();
    server.close();
  }

  @Test
  @DisplayName("A source above the single-copy limit is copied in parts: same bytes, type and metadata")
  void largeCopyInParts() {
    byte[] content = stored("big", 12 * MIB + 123);
    copier.copy(context(), BUCKET, "big", "big-copy").await();
    assertCopied("big", "big-copy", content);
    assertEquals(0, server.client().listMultipartUploads(b -> b.bucket(BUCKET)).uploads().size());
  }

  @Test
  @DisplayName("A small source is one CopyObject: same bytes, type and metadata")
  void smallCopy() {
    byte[] content = stored("small", 1000);
    copier.copy(context(), BUCKET, "small", "dir/small-copy").await();
    assertCopied("small", "dir/small-copy", content);
  }

  @Test
  @DisplayName("A missing source is 404 NoSuchKey")
  void missingSource() {
    StorageException e = assertThrows(StorageException.class,
        () -> copier.copy(context(), BUCKET, "absent", "anything").await());
    assertEquals(StorageError.NoSuchKey, e.error());
  }

  private static byte[] stored(String key, int size) {
    byte[] content = new byte[size];
    new Random(size).nextBytes(content);
    server.client().putObject(b -> b.bucket(BUCKET).key(key).contentType("application/x-model")
        .metadata(Map.of("sha256", "ab".repeat(32))), RequestBody.fromBytes(content));
    return content;
  }

  private static void assertCopied(String source, String target, byte[] content) {
    assertArrayEquals(content, server.client().getObjectAsBytes(b -> b.bucket(BUCKET).key(target)).asByteArray());
    HeadObjectResponse original = server.client().headObject(b -> b.bucket(BUCKET).key(source));
    HeadObjectResponse copy = server.client().headObject(b -> b.bucket(BUCKET).key(target));
    assertEquals(original.contentType(), copy.contentType());
    assertEquals(original.metadata(), copy.metadata());
  }

  private static Context context() {
    return vertx.getOrCreateContext();
  }
}
