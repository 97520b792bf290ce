package com.dante.cacciaguida.storage.s3;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/**
 * An upload body for tests: {@code size} pseudo-random bytes (the same for the same seed) in chunks, emitted only
 * on demand like an HTTP request body, starting paused. It can break after some bytes, as a client that goes away.
 */
final class GeneratedBody implements ReadStream<Buffer> {

  static final int CHUNK = 64 * 1024;

  private final Context context;
  private final Random random;
  private final long size;
  private final long failAfter;
  private long delayMillis;
  private long sent;
  private long demand;
  private boolean scheduled;
  private boolean finished;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;

  /** Call on the context that will read it. */
  GeneratedBody(long size, long seed, long failAfter) {
    this.context = Vertx.currentContext();
    this.random = new Random(seed);
    this.size = size;
    this.failAfter = failAfter;
  }

  /** Waits this long before each chunk, as a slow client. */
  GeneratedBody slowly(long millis) {
    this.delayMillis = millis;
    return this;
  }

  /** Hex SHA-256 of the {@code size} bytes this seed gives. */
  static String sha256(long size, long seed) throws NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    Random random = new Random(seed);
    byte[] chunk = new byte[CHUNK];
    for (long done = 0; done < size; done += chunk.length) {
      int n = (int) Math.min(CHUNK, size - done);
      byte[] bytes = n == CHUNK ? chunk : new byte[n];
      random.nextBytes(bytes);
      digest.update(bytes);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  @Override
  public GeneratedBody exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public GeneratedBody handler(Handler<Buffer> handler) {
    this.handler = handler;
    return this;
  }

  @Override
  public GeneratedBody pause() {
    demand = 0;
    return this;
  }

  @Override
  public GeneratedBody resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public GeneratedBody fetch(long amount) {
    demand = Long.MAX_VALUE - demand < amount ? Long.MAX_VALUE : demand + amount;
    schedule();
    return this;
  }

  @Override
  public GeneratedBody endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  private void schedule() {
    if (!scheduled && !finished && demand > 0) {
      scheduled = true;
      if (delayMillis > 0) {
        context.owner().setTimer(delayMillis, t -> emit());
      } else {
        context.runOnContext(v -> emit());
      }
    }
  }

  private void emit() {
    scheduled = false;
    if (finished || demand == 0) {
      return;
    }
    if (failAfter >= 0 && sent >= failAfter) {
      finished = true;
      if (exceptionHandler != null) {
        exceptionHandler.handle(new IOException("Connection reset by the test client"));
      }
      return;
    }
    if (sent == size) {
      finished = true;
      if (endHandler != null) {
        endHandler.handle(null);
      }
      return;
    }
    byte[] bytes = new byte[(int) Math.min(CHUNK, size - sent)];
    random.nextBytes(bytes);
    sent += bytes.length;
    if (demand != Long.MAX_VALUE) {
      demand--;
    }
    if (handler != null) {
      handler.handle(Buffer.buffer(bytes));
    }
    schedule();
  }
}
