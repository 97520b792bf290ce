package com.dante.cacciaguida.storage;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class VerifyingStreamTest {

  private static final byte[] BODY = "hello, digests".getBytes(StandardCharsets.UTF_8);
  private static final String MD5 = hex("MD5");
  private static final String SHA256 = hex("SHA-256");

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  void computesBothDigestsByDefault() throws Exception {
    VerifyingStream stream = drain(VerifyingStream::new, options(null, null));
    assertEquals(BODY.length, stream.count());
    assertEquals(MD5, stream.md5Hex());
    assertEquals(SHA256, stream.sha256Hex());
  }

  @Test
  void declaredOnlyComputesNothingUndeclared() throws Exception {
    VerifyingStream stream = drain(VerifyingStream::declaredOnly, options(null, null));
    assertEquals(BODY.length, stream.count());
    assertNull(stream.md5Hex());
    assertNull(stream.sha256Hex());
  }

  @Test
  void declaredOnlyVerifiesWhatWasDeclared() throws Exception {
    String contentMd5 = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(MD5));
    VerifyingStream stream = drain(VerifyingStream::declaredOnly, options(contentMd5, null));
    assertEquals(MD5, stream.md5Hex());
    assertNull(stream.sha256Hex());

    ExecutionException wrong = assertThrows(ExecutionException.class,
        () -> drain(VerifyingStream::declaredOnly, options(null, "0".repeat(64))));
    assertEquals(StorageError.BadDigest, ((StorageException) wrong.getCause()).error());
  }

  @Test
  void md5AndDeclaredSkipsAnUndeclaredSha256() throws Exception {
    VerifyingStream stream = drain(VerifyingStream::md5AndDeclared, options(null, null));
    assertEquals(MD5, stream.md5Hex());
    assertNull(stream.sha256Hex());
    assertEquals(SHA256, drain(VerifyingStream::md5AndDeclared, options(null, SHA256)).sha256Hex());
  }

  @Test
  void declaredOnlyStillCountsBytes() {
    PutOptions shortBody = new PutOptions("text/plain", BODY.length + 1, 1024, null, null);
    ExecutionException incomplete = assertThrows(ExecutionException.class,
        () -> drain(VerifyingStream::declaredOnly, shortBody));
    assertEquals(StorageError.IncompleteBody, ((StorageException) incomplete.getCause()).error());
  }

  @Test
  void bytesBeyondTheDeclaredLengthFailBeforeTheyPassOn() throws Exception {
    PutOptions shorter = new PutOptions("text/plain", BODY.length - 1, 1024, null, null);
    Context context = vertx.getOrCreateContext();
    Promise<Throwable> failed = Promise.promise();
    long[] passed = {0};
    context.runOnContext(v -> {
      VerifyingStream stream = VerifyingStream.declaredOnly(new BufferReadStream(context, Buffer.buffer(BODY)),
          shorter);
      stream.exceptionHandler(failed::tryComplete);
      stream.endHandler(end -> failed.tryFail("the stream ended normally"));
      stream.handler(chunk -> passed[0] += chunk.length());
      stream.resume();
    });
    Throwable cause = failed.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(StorageError.IncompleteBody, ((StorageException) cause).error());
    assertEquals(0, passed[0]);
  }

  @Test
  void aLargeBodyIsDigestedInLanesToTheSameDigestsWhileItsConsumerPausesAtWill() throws Exception {
    byte[] body = new byte[20 * 1024 * 1024 + 123];
    new Random(7).nextBytes(body);
    MessageDigest passedOn = MessageDigest.getInstance("MD5");
    VerifyingStream stream = drainPausing(body, new PutOptions("application/octet-stream", body.length,
        body.length, null, null), passedOn);
    assertEquals(body.length, stream.count());
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body)), stream.md5Hex());
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)), stream.sha256Hex());
    assertEquals(stream.md5Hex(), HexFormat.of().formatHex(passedOn.digest()), "the chunks passed on in order");

    ExecutionException wrong = assertThrows(ExecutionException.class, () -> drainPausing(body,
        new PutOptions("application/octet-stream", body.length, body.length, null, "0".repeat(64)),
        MessageDigest.getInstance("MD5")));
    assertEquals(StorageError.BadDigest, ((StorageException) wrong.getCause()).error());
  }

  @Test
  void aLargeBodyFetchedOneChunkAtATimeArrivesWhole() throws Exception {
    byte[] body = new byte[12 * 1024 * 1024];
    new Random(9).nextBytes(body);
    Context context = vertx.getOrCreateContext();
    Promise<VerifyingStream> done = Promise.promise();
    MessageDigest passedOn = MessageDigest.getInstance("MD5");
    context.runOnContext(v -> {
      VerifyingStream stream = new VerifyingStream(new BufferReadStream(context, Buffer.buffer(body)),
          new PutOptions("application/octet-stream", body.length, body.length, null, null));
      stream.exceptionHandler(done::tryFail);
      stream.endHandler(end -> done.tryComplete(stream));
      stream.handler(chunk -> {
        passedOn.update(chunk.getBytes());
        stream.fetch(1); // asked for while the digest lanes may hold the source paused: owed, not lost
      });
      stream.pause();
      stream.fetch(1);
    });
    VerifyingStream stream = done.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(body.length, stream.count());
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body)), stream.md5Hex());
    assertEquals(stream.md5Hex(), HexFormat.of().formatHex(passedOn.digest()));
  }

  private static PutOptions options(String contentMd5, String sha256) {
    return new PutOptions("text/plain", BODY.length, 1024, contentMd5, sha256);
  }

  /** Reads the whole body through a verifying stream on a Vert.x context; fails as the stream failed. */
  private static VerifyingStream drain(BiFunction<BufferReadStream, PutOptions, VerifyingStream> wrap,
                                       PutOptions options) throws Exception {
    Context context = vertx.getOrCreateContext();
    Promise<VerifyingStream> done = Promise.promise();
    context.runOnContext(v -> {
      VerifyingStream stream = wrap.apply(new BufferReadStream(context, Buffer.buffer(BODY)), options);
      stream.exceptionHandler(done::tryFail);
      stream.endHandler(end -> done.tryComplete(stream));
      stream.handler(chunk -> { });
      stream.resume();
    });
    return done.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /**
   * Reads {@code body} through a verifying stream whose consumer pauses after every tenth chunk and resumes a
   * millisecond later, digesting what it is given into {@code passedOn}.
   */
  private static VerifyingStream drainPausing(byte[] body, PutOptions options, MessageDigest passedOn)
      throws Exception {
    Context context = vertx.getOrCreateContext();
    Promise<VerifyingStream> done = Promise.promise();
    context.runOnContext(v -> {
      VerifyingStream stream = new VerifyingStream(new BufferReadStream(context, Buffer.buffer(body)), options);
      int[] chunks = {0};
      stream.exceptionHandler(done::tryFail);
      stream.endHandler(end -> done.tryComplete(stream));
      stream.handler(chunk -> {
        passedOn.update(chunk.getBytes());
        if (++chunks[0] % 10 == 0) {
          stream.pause();
          vertx.setTimer(1, t -> stream.resume());
        }
      });
      stream.resume();
    });
    return done.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static String hex(String algorithm) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(BODY));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
