package com.dante.cacciaguida.storage;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DigestLanesTest {

  private static final int CHUNK = 64 * 1024;

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  /**
   * A lane held up (its digest blocks until released) makes {@link DigestLanes#update} ask for a pause once more than
   * the bound is queued; released, the lanes call back on the context and digest every byte in order.
   */
  @Test
  void asksForAPauseWhenTheLanesFallBehindAndCallsBackOnceTheyCaughtUp() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    GatedMd5 gated = new GatedMd5(release);
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    MessageDigest expectedMd5 = MessageDigest.getInstance("MD5");
    MessageDigest expectedSha256 = MessageDigest.getInstance("SHA-256");
    Context context = vertx.getOrCreateContext();
    CompletableFuture<Boolean> caughtUpOnContext = new CompletableFuture<>();
    CompletableFuture<Integer> pausedAfter = new CompletableFuture<>();
    CompletableFuture<Void> drained = new CompletableFuture<>();
    AtomicInteger callbacks = new AtomicInteger();

    context.runOnContext(v -> {
      DigestLanes lanes = new DigestLanes(context, () -> {
        callbacks.incrementAndGet();
        caughtUpOnContext.complete(Vertx.currentContext() == context);
      }, gated, sha256);
      byte[] chunk = new byte[CHUNK];
      for (int i = 0; ; i++) {
        chunk[0] = (byte) i;
        expectedMd5.update(chunk);
        expectedSha256.update(chunk);
        if (lanes.update(ByteBuffer.wrap(chunk.clone()))) {
          pausedAfter.complete(i + 1);
          break;
        }
      }
      lanes.drained().onComplete(done -> drained.complete(null));
    });

    int chunks = pausedAfter.get(10, TimeUnit.SECONDS);
    // the held lane alone queued more than half the bound (the other lane may have digested its copies or not)
    assertTrue(chunks > DigestLanes.MAX_QUEUED / 2 / CHUNK && chunks <= DigestLanes.MAX_QUEUED / CHUNK + 1,
        "paused after " + chunks + " chunks");
    assertFalse(caughtUpOnContext.isDone(), "no call back while the lane is held up");
    release.countDown();
    assertTrue(caughtUpOnContext.get(10, TimeUnit.SECONDS), "called back on the caller's context");
    drained.get(10, TimeUnit.SECONDS);
    assertEquals(1, callbacks.get());
    assertEquals(HexFormat.of().formatHex(expectedMd5.digest()), HexFormat.of().formatHex(gated.digest()));
    assertEquals(HexFormat.of().formatHex(expectedSha256.digest()), HexFormat.of().formatHex(sha256.digest()));
  }

  @Test
  void drainedCompletesOnTheContextAfterEverythingQueuedBefore() throws Exception {
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    Context context = vertx.getOrCreateContext();
    byte[] body = new byte[3 * CHUNK];
    body[5] = 42;
    Promise<String> digest = Promise.promise();
    context.runOnContext(v -> {
      DigestLanes lanes = new DigestLanes(context, () -> { }, md5);
      for (int offset = 0; offset < body.length; offset += CHUNK) {
        assertFalse(lanes.update(ByteBuffer.wrap(body, offset, CHUNK)));
      }
      lanes.drained().onComplete(done -> digest.complete(Vertx.currentContext() == context
          ? HexFormat.of().formatHex(md5.digest()) : "not on the context"));
    });
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body)),
        digest.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
  }

  /** MD5 whose updates wait until released: a lane that cannot keep up. */
  private static final class GatedMd5 extends MessageDigest {
    private final MessageDigest md5;
    private final CountDownLatch release;

    GatedMd5(CountDownLatch release) throws Exception {
      super("MD5");
      this.md5 = MessageDigest.getInstance("MD5");
      this.release = release;
    }

    @Override
    protected void engineUpdate(byte input) {
      await();
      md5.update(input);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
      await();
      md5.update(input, offset, len);
    }

    @Override
    protected byte[] engineDigest() {
      return md5.digest();
    }

    @Override
    protected void engineReset() {
      md5.reset();
    }

    private void await() {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
