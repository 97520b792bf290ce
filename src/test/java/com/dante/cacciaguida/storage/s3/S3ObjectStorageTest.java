package com.dante.cacciaguida.storage.s3;

import com.dante.cacciaguida.config.StorageConfig;
import com.dante.cacciaguida.storage.ListQuery;
import com.dante.cacciaguida.storage.ObjectInfo;
import com.dante.cacciaguida.storage.PutOptions;
import com.dante.cacciaguida.storage.StorageError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The S3 backend against S3Proxy in this JVM, including an S3 outage and recovery. */
class S3ObjectStorageTest extends S3StorageFlows {

  private static S3ProxyServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @Override
  protected StorageConfig.Minio minio(String defaultBucket) {
    return server.minioConfig(defaultBucket, true);
  }

  @Override
  protected S3Client assertions() {
    return server.client();
  }

  @Test
  @DisplayName("with S3 down calls fail fast with 503, and the same backend works again once S3 is back")
  void outageAndRecovery() throws Exception {
    byte[] content = "survives".getBytes(StandardCharsets.UTF_8);
    PutOptions options = new PutOptions("text/plain", content.length, MAX_SIZE, null, null);
    await(onContext(() -> storage.put(bucket, "k", body(content), options)));
    server.stop();
    try {
      long started = System.nanoTime();
      assertError(StorageError.ServiceUnavailable, storage.stat(bucket, "k"));
      assertError(StorageError.ServiceUnavailable, onContext(() -> storage.put(bucket, "k", body(content), options)));
      assertError(StorageError.ServiceUnavailable, storage.list(bucket, new ListQuery("", true, null, 10)));
      assertError(StorageError.ServiceUnavailable, storage.check(false));
      assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(15)) < 0);
    } finally {
      server.startAgain();
    }
    assertEquals(content.length, await(storage.stat(bucket, "k")).getSize());
    assertArrayEquals(content, read("k", Map.of()).body());
    await(storage.check(true));
  }

  @Test
  @DisplayName("a backend started while S3 is down fails its start with 503, then turns healthy and creates the default bucket")
  void startWhileDown() throws Exception {
    String later = bucket + "-later";
    S3ObjectStorage late = new S3ObjectStorage(vertx, server.minioConfig(later, true), REQUEST_TIMEOUT);
    server.stop();
    try {
      assertError(StorageError.ServiceUnavailable, late.start());
    } finally {
      server.startAgain();
    }
    await(late.check(true));
    byte[] content = "first".getBytes(StandardCharsets.UTF_8);
    await(onContext(() -> late.put(later, "k", body(content),
        new PutOptions("text/plain", content.length, MAX_SIZE, null, null))));
    assertEquals(content.length, await(late.stat(later, "k")).getSize());
    await(late.close());
  }

  @Test
  @DisplayName("an upload slower than the S3 I/O timeout still completes: the timeout guards the server, not the client")
  void slowUpload() throws Exception {
    long size = 8 * GeneratedBody.CHUNK;
    ObjectInfo put = await(onContext(() -> storage.put(bucket, "slow", new GeneratedBody(size, 5, -1).slowly(1_600),
        new PutOptions("application/octet-stream", size, MAX_SIZE, null, null))));
    assertEquals(size, put.getSize());
  }

  @Test
  @DisplayName("a reader that stalls longer than the S3 I/O timeout still receives the whole object")
  void slowReader() throws Exception {
    byte[] content = storeLarge("large", 9);
    HttpResponse<InputStream> response = download("large");
    try (InputStream in = response.body()) {
      byte[] first = in.readNBytes(1024);
      Thread.sleep(S3Clients.IO_TIMEOUT.toMillis() + 3_000); // longer than any control call may take
      byte[] rest = in.readAllBytes();
      byte[] whole = new byte[first.length + rest.length];
      System.arraycopy(first, 0, whole, 0, first.length);
      System.arraycopy(rest, 0, whole, first.length, rest.length);
      assertArrayEquals(content, whole);
    }
  }

  @Test
  @DisplayName("S3 going away mid-body breaks the client's connection: never a short body that looks complete")
  void outageMidBody() throws Exception {
    byte[] content = storeLarge("cut", 11);
    HttpResponse<InputStream> response = download("cut");
    assertEquals(200, response.statusCode());
    try (InputStream in = response.body()) {
      in.readNBytes(1024);
      server.stop();
      assertThrows(IOException.class, in::readAllBytes);
    } finally {
      server.startAgain();
    }
    assertArrayEquals(content, read("cut", Map.of()).body());
  }

  /** 48 MiB of random content stored directly in S3, large enough that a GET outlives the steps of a test. */
  private byte[] storeLarge(String key, long seed) {
    byte[] content = new byte[48 * 1024 * 1024];
    new Random(seed).nextBytes(content);
    server.client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
    return content;
  }

  /** A GET through the backend's HTTP server, its body left to the caller to read. */
  private HttpResponse<InputStream> download(String key) throws Exception {
    return http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + readPort() + "/" + bucket + "/" + key)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
  }
}
