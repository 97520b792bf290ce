package com.dante.cacciaguida.storage.s3;

import com.dante.cacciaguida.storage.StorageError;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.ReadStream;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.nio.ByteBuffer;

/**
 * A paused Vert.x body of declared length as a Reactive Streams publisher for the AWS SDK. The body is read only
 * as far as the subscriber asked ({@code fetch(n)} for {@code request(n)}); all state lives on the body's context,
 * since the SDK calls {@code request} and {@code cancel} from its own threads.
 *
 * <p>Two protections matter for S3. The chunk that completes the declared length is held back until the body has
 * ended normally: S3 stores an object as soon as it has Content-Length bytes, so handing it the last bytes before
 * the body was verified (digests, length) would store a body the client got wrong. And there is one subscription
 * only: a request body cannot be replayed, so a second subscriber (an SDK retry) gets {@code onError}.
 */
public final class ReadStreamPublisher implements Publisher<ByteBuffer> {

  private final Context context;
  private final ReadStream<Buffer> body;
  private final long length;
  private Throwable failure;
  private Subscriber<? super ByteBuffer> subscriber;
  private long emitted;
  private Buffer held;
  private boolean done;

  /**
   * @param context the body's context, where every step runs
   * @param body    a paused request body
   * @param length  its declared length, or -1 when unknown
   */
  public ReadStreamPublisher(Context context, ReadStream<Buffer> body, long length) {
    this.context = context;
    this.body = body;
    this.length = length;
  }

  /** What made the body fail (the client's upload broke a rule or went away), or null. */
  Throwable failure() {
    return failure;
  }

  @Override
  public void subscribe(Subscriber<? super ByteBuffer> s) {
    context.runOnContext(v -> attach(s));
  }

  private void attach(Subscriber<? super ByteBuffer> s) {
    if (subscriber != null) {
      s.onSubscribe(NOOP);
      s.onError(new IllegalStateException("A streamed request body can be subscribed to only once"));
      return;
    }
    subscriber = s;
    body.exceptionHandler(this::fail);
    body.endHandler(v -> end());
    body.handler(this::chunk);
    s.onSubscribe(new Subscription() {
      @Override
      public void request(long n) {
        context.runOnContext(v -> demand(n));
      }

      @Override
      public void cancel() {
        context.runOnContext(v -> stop());
      }
    });
    if (length == 0) {
      // nothing to wait for but the end
      body.fetch(1);
    }
  }

  private void demand(long n) {
    if (done) {
      return;
    }
    if (n <= 0) {
      fail(new IllegalArgumentException("Reactive Streams rule 3.9: request(" + n + ")"));
      return;
    }
    body.fetch(n);
  }

  private void chunk(Buffer chunk) {
    if (done) {
      return;
    }
    if (chunk.length() == 0) {
      body.fetch(1);
      return;
    }
    if (held != null) {
      fail(StorageError.IncompleteBody.exception("The body is longer than its Content-Length of " + length));
      return;
    }
    if (emitted + chunk.length() >= length) {
      held = chunk;
      // the end still has to arrive while nothing more is asked for
      body.fetch(1);
      return;
    }
    emitted += chunk.length();
    subscriber.onNext(nio(chunk));
  }

  private void end() {
    if (done) {
      return;
    }
    if (held == null) {
      finish();
    } else {
      emitHeld();
    }
  }

  /** Sends the held last chunk; the subscriber has demand left, as it has not received everything it asked for. */
  private void emitHeld() {
    Buffer last = held;
    held = null;
    emitted += last.length();
    subscriber.onNext(nio(last));
    finish();
  }

  private void finish() {
    done = true;
    subscriber.onComplete();
  }

  private void fail(Throwable cause) {
    if (done) {
      return;
    }
    done = true;
    body.pause();
    failure = cause;
    if (subscriber != null) {
      subscriber.onError(cause);
    }
  }

  private void stop() {
    if (!done) {
      done = true;
      body.pause();
    }
  }

  private static ByteBuffer nio(Buffer chunk) {
    return ((BufferInternal) chunk).getByteBuf().nioBuffer();
  }

  private static final Subscription NOOP = new Subscription() {
    @Override
    public void request(long n) {
    }

    @Override
    public void cancel() {
    }
  };
}
