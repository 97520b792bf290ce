package com.dante.cacciaguida.storage;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A paused {@link ReadStream} over one in-memory buffer, emitted in chunks as demand allows: how an object
 * sent inline over the event bus enters the same {@link ObjectStorage#put} path as an HTTP body.
 */
public final class BufferReadStream implements ReadStream<Buffer> {

  private static final int CHUNK = 64 * 1024;

  private final Context context;
  private final Buffer data;
  private int position;
  private long demand;
  private boolean emitting;
  private boolean ended;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;

  public BufferReadStream(Context context, Buffer data) {
    this.context = context;
    this.data = data;
  }

  @Override
  public BufferReadStream exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public BufferReadStream handler(Handler<Buffer> handler) {
    this.handler = handler;
    return this;
  }

  @Override
  public BufferReadStream pause() {
    demand = 0;
    return this;
  }

  @Override
  public BufferReadStream resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public BufferReadStream fetch(long amount) {
    demand = Long.MAX_VALUE - demand < amount ? Long.MAX_VALUE : demand + amount;
    context.runOnContext(v -> emit());
    return this;
  }

  @Override
  public BufferReadStream endHandler(Handler<Void> handler) {
    this.endHandler = handler;
    return this;
  }

  private void emit() {
    if (emitting) {
      return;
    }
    emitting = true;
    try {
      while (demand > 0 && position < data.length() && handler != null) {
        int end = Math.min(position + CHUNK, data.length());
        Buffer chunk = data.getBuffer(position, end);
        position = end;
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        handler.handle(chunk);
      }
      if (position >= data.length() && !ended && demand > 0) {
        ended = true;
        if (endHandler != null) {
          endHandler.handle(null);
        }
      }
    } finally {
      emitting = false;
    }
  }
}
