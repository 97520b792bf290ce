package com.dante.cacciaguida.metrics;

import com.dante.cacciaguida.storage.GetOptions;
import com.dante.cacciaguida.storage.ListQuery;
import com.dante.cacciaguida.storage.ObjectInfo;
import com.dante.cacciaguida.storage.ObjectRead;
import com.dante.cacciaguida.storage.ObjectStorage;
import com.dante.cacciaguida.storage.PresignRequest;
import com.dante.cacciaguida.storage.PresignedUrl;
import com.dante.cacciaguida.storage.PutOptions;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

import java.util.List;
import java.util.function.Supplier;

/**
 * A backend that measures every operation (latency by operation and outcome) and counts what goes through it:
 * objects and bytes written, objects deleted, uploads in flight, and (through {@link MeteredObjectRead}) bytes
 * read. Wrapping the backend catches both paths to it, HTTP streaming and the event-bus service.
 */
public final class MeteredObjectStorage implements ObjectStorage {

  private final ObjectStorage backend;
  private final StorageMetrics metrics;

  public MeteredObjectStorage(ObjectStorage backend, StorageMetrics metrics) {
    this.backend = backend;
    this.metrics = metrics;
  }

  @Override
  public Future<Void> start() {
    return backend.start();
  }

  @Override
  public Future<Void> close() {
    return backend.close();
  }

  @Override
  public Future<Void> ensureBucket(String bucket) {
    return timed("ensure_bucket", () -> backend.ensureBucket(bucket));
  }

  @Override
  public Future<ObjectInfo> put(String bucket, String key, ReadStream<Buffer> body, PutOptions options) {
    metrics.uploadStarted();
    return timed("put", () -> backend.put(bucket, key, body, options))
        .andThen(ar -> {
          metrics.uploadFinished();
          if (ar.succeeded()) {
            metrics.objectWritten(ar.result().getSize());
          }
        });
  }

  @Override
  public Future<ObjectRead> get(String bucket, String key, GetOptions options) {
    return timed("get", () -> backend.get(bucket, key, options))
        .map(read -> new MeteredObjectRead(read, metrics));
  }

  @Override
  public Future<ObjectInfo> stat(String bucket, String key) {
    return timed("stat", () -> backend.stat(bucket, key));
  }

  @Override
  public Future<Void> delete(String bucket, String key) {
    return timed("delete", () -> backend.delete(bucket, key))
        .onSuccess(v -> metrics.objectDeleted());
  }

  @Override
  public Future<List<ObjectInfo>> list(String bucket, ListQuery query) {
    return timed("list", () -> backend.list(bucket, query));
  }

  @Override
  public Future<PresignedUrl> presign(String bucket, String key, PresignRequest request) {
    return timed("presign", () -> backend.presign(bucket, key, request));
  }

  @Override
  public Future<Void> check(boolean deep) {
    return timed(deep ? "check_deep" : "check", () -> backend.check(deep));
  }

  private <T> Future<T> timed(String operation, Supplier<Future<T>> call) {
    Timer.Sample sample = metrics.startOperation();
    Future<T> result;
    try {
      result = call.get();
    } catch (RuntimeException e) {
      metrics.operationFinished(sample, operation, e);
      throw e;
    }
    return result.andThen(ar -> metrics.operationFinished(sample, operation, ar.cause()));
  }
}
