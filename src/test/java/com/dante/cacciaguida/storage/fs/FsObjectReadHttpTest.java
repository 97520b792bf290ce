package com.dante.cacciaguida.storage.fs;

import com.dante.cacciaguida.storage.PutOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static com.dante.cacciaguida.storage.fs.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code ObjectRead.sendTo} through a real HTTP server and client: the zero-copy send of the file's content. */
@ExtendWith(VertxExtension.class)
class FsObjectReadHttpTest {

  private static final String BUCKET = "http-reads";

  @TempDir
  Path root;

  private Vertx vertx;
  private FsObjectStorage storage;
  private final Buffer content = FsObjectStorageTest.randomBytes(300_000, 7);

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    storage = new FsObjectStorage(vertx, root, false, "s".getBytes(StandardCharsets.UTF_8));
    result(storage.start());
    result(storage.ensureBucket(BUCKET));
    put("obj.bin", content);
    put("empty", Buffer.buffer());
  }

  @Test
  @DisplayName("sendTo streams the whole object: the content after the header, byte for byte")
  void wholeObject(VertxTestContext ctx) {
    ObjectServer.start(vertx, storage)
        .compose(server -> server.fetch(BUCKET, "obj.bin", null).eventually(server::close))
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertEquals(200, response.statusCode());
          assertEquals("300000", response.getHeader("Content-Length"));
          assertEquals(content, response.body());
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("sendTo sends exactly the requested range")
  void range(VertxTestContext ctx) {
    ObjectServer.start(vertx, storage)
        .compose(server -> server.fetch(BUCKET, "obj.bin", "bytes=1000-200999").eventually(server::close))
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertEquals(206, response.statusCode());
          assertEquals("bytes 1000-200999/300000", response.getHeader("Content-Range"));
          assertEquals(content.getBuffer(1000, 201000), response.body());
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("sendTo of an empty object ends the response with no body")
  void emptyObject(VertxTestContext ctx) {
    ObjectServer.start(vertx, storage)
        .compose(server -> server.fetch(BUCKET, "empty", null).eventually(server::close))
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertEquals(200, response.statusCode());
          assertEquals("0", response.getHeader("Content-Length"));
          ctx.completeNow();
        })));
  }

  private void put(String key, Buffer body) {
    result(storage.put(BUCKET, key, TestBody.of(vertx, body),
        new PutOptions("application/octet-stream", body.length(), Long.MAX_VALUE, null, null)));
  }
}
