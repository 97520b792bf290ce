package com.dante.cacciaguida.metrics;

import com.dante.cacciaguida.storage.ByteRange;
import com.dante.cacciaguida.storage.ObjectInfo;
import com.dante.cacciaguida.storage.ObjectRead;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Counts the bytes a read delivers: the whole slice when sending completed, what reached the connection when it
 * broke off, the buffer of an inline read.
 */
final class MeteredObjectRead implements ObjectRead {

  private final ObjectRead read;
  private final StorageMetrics metrics;

  MeteredObjectRead(ObjectRead read, StorageMetrics metrics) {
    this.read = read;
    this.metrics = metrics;
  }

  @Override
  public ObjectInfo info() {
    return read.info();
  }

  @Override
  public int status() {
    return read.status();
  }

  @Override
  public ByteRange.Slice slice() {
    return read.slice();
  }

  @Override
  public Future<Void> sendTo(HttpServerResponse response) {
    return read.sendTo(response)
        .andThen(ar -> metrics.bytesDownloaded(ar.succeeded() ? read.slice().length() : response.bytesWritten()));
  }

  @Override
  public Future<Buffer> readAll() {
    return read.readAll().onSuccess(content -> metrics.bytesDownloaded(content.length()));
  }

  @Override
  public Future<Void> close() {
    return read.close();
  }
}
