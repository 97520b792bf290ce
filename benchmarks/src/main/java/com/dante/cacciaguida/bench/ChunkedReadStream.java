package com.dante.cacciaguida.bench;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

import java.util.Random;

/**
 * An in-memory body: hands out the same chunks in order, synchronously on the caller's thread, as fast as demand
 * allows, so a benchmark measures the consumer and not the source. Honours {@code pause}/{@code fetch} like a
 * request body would; re-entrant calls from inside a handler only add demand.
 */
final class ChunkedReadStream implements ReadStream<Buffer> {

  private final Buffer[] chunks;
  private int next;
  private long demand = Long.MAX_VALUE;
  private boolean emitting;
  private boolean ended;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;

  ChunkedReadStream(Buffer[] chunks) {
    this.chunks = chunks;
  }

  /** {@code total} bytes of pseudo-random content cut into chunks of {@code chunkSize}. */
  static Buffer[] chunks(int total, int chunkSize, long seed) {
    Random random = new Random(seed);
    Buffer[] out = new Buffer[total / chunkSize];
    for (int i = 0; i < out.length; i++) {
      byte[] bytes = new byte[chunkSize];
      random.nextBytes(bytes);
      out[i] = Buffer.buffer(bytes);
    }
    return out;
  }

  @Override
  public ChunkedReadStream exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public ChunkedReadStream handler(Handler<Buffer> handler) {
    this.handler = handler;
    emit();
    return this;
  }

  @Override
  public ChunkedReadStream endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    emit();
    return this;
  }

  @Override
  public ChunkedReadStream pause() {
    demand = 0;
    return this;
  }

  @Override
  public ChunkedReadStream resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public ChunkedReadStream fetch(long amount) {
    demand = Long.MAX_VALUE - demand < amount ? Long.MAX_VALUE : demand + amount;
    emit();
    return this;
  }

  private void emit() {
    if (emitting || handler == null) {
      return;
    }
    emitting = true;
    try {
      while (demand > 0 && next < chunks.length) {
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        handler.handle(chunks[next++]);
      }
      if (next == chunks.length && !ended && endHandler != null) {
        ended = true;
        endHandler.handle(null);
      }
    } finally {
      emitting = false;
    }
  }
}
