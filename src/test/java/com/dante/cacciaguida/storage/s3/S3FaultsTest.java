package com.dante.cacciaguida.storage.s3;

import com.dante.cacciaguida.config.StorageConfig;
import com.dante.cacciaguida.storage.GetOptions;
import com.dante.cacciaguida.storage.ObjectRead;
import com.dante.cacciaguida.storage.PutOptions;
import com.dante.cacciaguida.storage.StorageError;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

import static com.dante.cacciaguida.storage.s3.S3StorageFlows.MAX_SIZE;
import static com.dante.cacciaguida.storage.s3.S3StorageFlows.REQUEST_TIMEOUT;
import static com.dante.cacciaguida.storage.s3.S3StorageFlows.assertError;
import static com.dante.cacciaguida.storage.s3.S3StorageFlows.await;
import static com.dante.cacciaguida.storage.s3.S3StorageFlows.body;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the S3 backend does when S3 never answers one request (its connection cut as the request arrives, by a
 * {@link DroppingProxy} in front of S3Proxy): a GET, a HEAD and a buffered part are sent once more; a streamed
 * PutObject, which cannot be replayed, fails with 503 and leaves the object as it was.
 */
class S3FaultsTest {

  private static S3ProxyServer server;

  private Vertx vertx;
  private DroppingProxy proxy;
  private S3ObjectStorage storage;
  private String bucket;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @BeforeEach
  void startBackend() throws Exception {
    vertx = Vertx.vertx();
    proxy = await(DroppingProxy.start(vertx, server.port()));
    bucket = "f-" + UUID.randomUUID().toString().substring(0, 8);
    StorageConfig.Minio direct = server.minioConfig(bucket, true);
    storage = new S3ObjectStorage(vertx, new StorageConfig.Minio("127.0.0.1:" + proxy.port(), direct.accessKeyId(),
        direct.secretAccessKey(), false, direct.region(), "", bucket, true), REQUEST_TIMEOUT);
    await(storage.start());
  }

  @AfterEach
  void stopBackend() throws Exception {
    await(storage.close());
    await(vertx.close());
  }

  @Test
  @DisplayName("a GET and a HEAD that S3 never answered are sent again and succeed")
  void getAndHeadAreSentAgain() throws Exception {
    byte[] content = "read twice".getBytes(StandardCharsets.UTF_8);
    await(onContext(() -> storage.put(bucket, "k", body(content),
        new PutOptions("text/plain", content.length, MAX_SIZE, null, null))));

    proxy.dropNext("GET /" + bucket + "/k ");
    ObjectRead read = await(onContext(() -> storage.get(bucket, "k", GetOptions.whole())));
    assertArrayEquals(content, await(read.readAll()).getBytes());
    assertEquals(1, proxy.dropped());

    proxy.dropNext("HEAD /" + bucket + "/k ");
    assertEquals(content.length, await(onContext(() -> storage.stat(bucket, "k"))).getSize());
    assertEquals(2, proxy.dropped());
  }

  @Test
  @DisplayName("a part of a chunked upload that S3 never answered is sent again, and the object is whole")
  void aPartIsSentAgain() throws Exception {
    byte[] content = new byte[2 * S3ObjectStorage.MIN_PART_SIZE + 12345];
    new Random(11).nextBytes(content);
    proxy.dropNext("?partNumber=2&");
    await(onContext(() -> storage.put(bucket, "parts", new ChunksBody(chunks(content)),
        new PutOptions("application/octet-stream", -1, MAX_SIZE, null, null))));
    assertEquals(1, proxy.dropped());
    assertArrayEquals(content, server.client().getObjectAsBytes(b -> b.bucket(bucket).key("parts")).asByteArray());
  }

  @Test
  @DisplayName("a streamed PutObject that S3 never answered fails with 503 and leaves the old object")
  void aStreamedPutIsNotSentAgain() throws Exception {
    byte[] old = "old".getBytes(StandardCharsets.UTF_8);
    await(onContext(() -> storage.put(bucket, "k", body(old),
        new PutOptions("text/plain", old.length, MAX_SIZE, null, null))));
    byte[] content = new byte[256 * 1024];
    new Random(5).nextBytes(content);

    proxy.dropNext("PUT /" + bucket + "/k ");
    assertError(StorageError.ServiceUnavailable, onContext(() -> storage.put(bucket, "k", body(content),
        new PutOptions("application/octet-stream", content.length, MAX_SIZE, null, null))));
    assertEquals(1, proxy.dropped());
    assertArrayEquals(old, server.client().getObjectAsBytes(b -> b.bucket(bucket).key("k")).asByteArray());
  }

  /** The content in 64 KiB chunks, as a request body arrives. */
  private static List<Buffer> chunks(byte[] content) {
    Buffer whole = Buffer.buffer(content);
    List<Buffer> chunks = new ArrayList<>();
    for (int offset = 0; offset < content.length; offset += GeneratedBody.CHUNK) {
      chunks.add(whole.slice(offset, Math.min(content.length, offset + GeneratedBody.CHUNK)));
    }
    return chunks;
  }

  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    Context context = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }
}
