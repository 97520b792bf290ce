package com.dante.cacciaguida.storage.s3;

import com.dante.cacciaguida.storage.ByteRange;
import com.dante.cacciaguida.storage.ObjectInfo;
import com.dante.cacciaguida.storage.ObjectRead;
import com.dante.cacciaguida.storage.StorageError;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An S3 object opened for reading: S3's paused response ({@link S3Transfers}), piped into the HTTP response with
 * backpressure on the same event loop. If either side breaks mid-body, both connections are reset: the client's
 * status line is already gone, so a broken connection is the only way to tell it, and S3's connection cannot be
 * reused with a body left unread. Reads without a body (HEAD, 304) have no S3 response.
 */
final class S3ObjectRead implements ObjectRead {

  private static final Logger LOG = LoggerFactory.getLogger(S3ObjectRead.class);

  private final ObjectInfo info;
  private final int status;
  private final ByteRange.Slice slice;
  private final HttpClientResponse content;

  S3ObjectRead(ObjectInfo info, int status, ByteRange.Slice slice, HttpClientResponse content) {
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
    return content.pipe().endOnFailure(false).to(response).onFailure(e -> {
      LOG.warn("Sending {} from S3 broke mid-body: {}", info.getKey(), e.getMessage());
      abandon();
      response.reset();
    });
  }

  @Override
  public Future<Buffer> readAll() {
    if (content == null) {
      return Future.succeededFuture(Buffer.buffer());
    }
    Future<Buffer> body = content.body();
    content.resume();
    return body.recover(e -> Future.failedFuture(
        StorageError.ServiceUnavailable.exception("Reading the object from S3 broke: " + e.getMessage())));
  }

  @Override
  public Future<Void> close() {
    if (content != null) {
      abandon();
    }
    return Future.succeededFuture();
  }

  /** Resets S3's unread response; the reset is ours, so Vert.x must not log it as an unhandled error. */
  private void abandon() {
    content.exceptionHandler(ignored -> { });
    content.request().reset();
  }
}
