package com.dante.cacciaguida.storage.fs;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * An upload body as a request would give it: created paused, emits its chunks on a context only as far as
 * demanded, then ends, or fails where a client would disconnect. Synchronized: a pipe may pause and fetch from
 * another thread than the one emitting.
 */
final class TestBody implements ReadStream<Buffer> {

  private final Context context;
  private final Deque<Buffer> chunks = new ArrayDeque<>();
  private final Throwable failure;
  private long demand;
  private boolean scheduled;
  private boolean done;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;

  private TestBody(Vertx vertx, Buffer data, int chunkSize, Throwable failure) {
    this.context = vertx.getOrCreateContext();
    this.failure = failure;
    for (int i = 0; i < data.length(); i += chunkSize) {
      chunks.add(data.getBuffer(i, Math.min(data.length(), i + chunkSize)));
    }
  }

  static TestBody of(Vertx vertx, Buffer data) {
    return new TestBody(vertx, data, 8192, null);
  }

  /** Emits {@code data}, then fails instead of ending. */
  static TestBody failingAfter(Vertx vertx, Buffer data, Throwable failure) {
    return new TestBody(vertx, data, 8192, failure);
  }

  @Override
  public synchronized TestBody exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public synchronized TestBody handler(Handler<Buffer> handler) {
    this.handler = handler;
    schedule();
    return this;
  }

  @Override
  public synchronized TestBody pause() {
    demand = 0;
    return this;
  }

  @Override
  public synchronized TestBody resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public synchronized TestBody fetch(long amount) {
    demand = Long.MAX_VALUE - demand < amount ? Long.MAX_VALUE : demand + amount;
    schedule();
    return this;
  }

  @Override
  public synchronized TestBody endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  private synchronized void schedule() {
    if (!scheduled && !done && demand > 0 && handler != null) {
      scheduled = true;
      context.runOnContext(v -> {
        scheduled = false;
        emit();
      });
    }
  }

  private synchronized void emit() {
    while (demand > 0 && !chunks.isEmpty() && handler != null) {
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      handler.handle(chunks.poll());
    }
    if (chunks.isEmpty() && demand > 0 && !done) {
      done = true;
      if (failure != null) {
        if (exceptionHandler != null) {
          exceptionHandler.handle(failure);
        }
      } else if (endHandler != null) {
        endHandler.handle(null);
      }
    }
  }
}
