package com.dante.cacciaguida.storage.s3;

import com.dante.cacciaguida.storage.ByteRange;
import com.dante.cacciaguida.storage.ObjectInfo;
import com.dante.cacciaguida.storage.ObjectRead;
import com.dante.cacciaguida.storage.StorageException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.nio.ByteBuffer;

/**
 * An S3 object opened for reading. The body is the SDK's response publisher, drained into the HTTP response with
 * backpressure: more is requested only while the response's write queue has room, and again on drain; a closed
 * response cancels the subscription, which releases the S3 connection. Reads without a body (HEAD, 304) have no
 * publisher.
 */
final class S3ObjectRead implements ObjectRead {

  private static final Logger LOG = LoggerFactory.getLogger(S3ObjectRead.class);
  private static final int BATCH = 4;

  private final Context context;
  private final ObjectInfo info;
  private final int status;
  private final ByteRange.Slice slice;
  private final Publisher<ByteBuffer> content;

  S3ObjectRead(Context context, ObjectInfo info, int status, ByteRange.Slice slice, Publisher<ByteBuffer> content) {
    this.context = context;
    this.info = info;
    this.status = status;
    this.slice = slice;
    this.content = content;
  }

  @Override
  public ObjectInfo info() {
    return info;
  }

  @Override
  public int status() {
    return status;
  }

  @Override
  public ByteRange.Slice slice() {
    return slice;
  }

  @Override
  public Future<Void> sendTo(HttpServerResponse response) {
    if (content == null) {
      return response.end();
    }
    Promise<Void> sent = Promise.promise();
    content.subscribe(new ResponseWriter(response, sent));
    return sent.future();
  }

  @Override
  public Future<Buffer> readAll() {
    if (content == null) {
      return Future.succeededFuture(Buffer.buffer());
    }
    Promise<Buffer> read = Promise.promise();
    Buffer data = Buffer.buffer((int) Math.min(slice.length(), Integer.MAX_VALUE - 8));
    content.subscribe(new Subscriber<>() {
      @Override
      public void onSubscribe(Subscription s) {
        s.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(ByteBuffer bytes) {
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        context.runOnContext(v -> data.appendBytes(copy));
      }

      @Override
      public void onError(Throwable t) {
        context.runOnContext(v -> read.tryFail(S3Errors.map(t)));
      }

      @Override
      public void onComplete() {
        context.runOnContext(v -> read.tryComplete(data));
      }
    });
    return read.future();
  }

  @Override
  public Future<Void> close() {
    if (content != null) {
      content.subscribe(new Subscriber<>() {
        @Override
        public void onSubscribe(Subscription s) {
          s.cancel();
        }

        @Override
        public void onNext(ByteBuffer b) {
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onComplete() {
        }
      });
    }
    return Future.succeededFuture();
  }

  /** Runs on the SDK's threads; every step hops onto the response's context, which keeps order. */
  private final class ResponseWriter implements Subscriber<ByteBuffer> {

    private final HttpServerResponse response;
    private final Promise<Void> sent;
    private Subscription subscription;
    private long pending;
    private boolean stopped;

    ResponseWriter(HttpServerResponse response, Promise<Void> sent) {
      this.response = response;
      this.sent = sent;
    }

    @Override
    public void onSubscribe(Subscription s) {
      context.runOnContext(v -> {
        subscription = s;
        if (response.closed()) {
          abandon(new IllegalStateException("The response was closed before the object was sent"));
          return;
        }
        response.exceptionHandler(this::abandon);
        response.drainHandler(d -> more());
        more();
      });
    }

    @Override
    public void onNext(ByteBuffer bytes) {
      byte[] copy = new byte[bytes.remaining()];
      bytes.get(copy);
      context.runOnContext(v -> {
        pending--;
        if (stopped) {
          return;
        }
        response.write(Buffer.buffer(copy)).onFailure(this::abandon);
        more();
      });
    }

    @Override
    public void onError(Throwable t) {
      context.runOnContext(v -> {
        if (!stopped) {
          stopped = true;
          // the status line is gone: breaking the connection is the only way to tell the client
          response.reset();
          StorageException failure = S3Errors.map(t);
          LOG.warn("Reading {} from S3 failed mid-body: {}", info.getKey(), failure.getMessage());
          sent.tryFail(failure);
        }
      });
    }

    @Override
    public void onComplete() {
      context.runOnContext(v -> {
        if (!stopped) {
          stopped = true;
          response.end().onComplete(sent);
        }
      });
    }

    private void more() {
      if (stopped || pending > 0 || response.writeQueueFull()) {
        return;
      }
      pending = BATCH;
      subscription.request(BATCH);
    }

    private void abandon(Throwable cause) {
      if (!stopped) {
        stopped = true;
        subscription.cancel();
        sent.tryFail(cause);
      }
    }
  }
}
