package com.dante.cacciaguida.storage.s3;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** A paused body of given chunks, emitted on demand on the context that created it, like a request body. */
final class ChunksBody implements ReadStream<Buffer> {

  private final Context context = Vertx.currentContext();
  private final Deque<Buffer> chunks;
  private long demand;
  private boolean scheduled;
  private boolean ended;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;

  ChunksBody(List<Buffer> chunks) {
    this.chunks = new ArrayDeque<>(chunks);
  }

  @Override
  public ChunksBody exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public ChunksBody handler(Handler<Buffer> handler) {
    this.handler = handler;
    return this;
  }

  @Override
  public ChunksBody pause() {
    demand = 0;
    return this;
  }

  @Override
  public ChunksBody resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public ChunksBody fetch(long amount) {
    demand = Long.MAX_VALUE - demand < amount ? Long.MAX_VALUE : demand + amount;
    if (!scheduled && !ended) {
      scheduled = true;
      context.runOnContext(v -> emit());
    }
    return this;
  }

  @Override
  public ChunksBody endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  private void emit() {
    scheduled = false;
    while (demand > 0 && !ended) {
      if (chunks.isEmpty()) {
        ended = true;
        if (endHandler != null) {
          endHandler.handle(null);
        }
        return;
      }
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      Buffer chunk = chunks.poll();
      if (handler != null) {
        handler.handle(chunk);
      }
    }
  }
}
