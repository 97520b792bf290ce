package com.dante.cacciaguida.storage.versioning;

import com.dante.cacciaguida.storage.BufferReadStream;
import com.dante.cacciaguida.storage.GetOptions;
import com.dante.cacciaguida.storage.ObjectStorage;
import com.dante.cacciaguida.storage.PutOptions;
import com.dante.cacciaguida.storage.StorageError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Reads and writes each bucket's {@link BucketSettings}, kept as the bucket's own object
 * {@link VersionKeys#SETTINGS} (an atomic put on either backend, so it survives restarts and is shared by every
 * instance on the same storage). Every request needs the versioning status, so reads are cached for
 * {@link #CACHE_TTL}: a change made through another instance takes effect here within that time.
 */
final class BucketSettingsStore {

  static final Duration CACHE_TTL = Duration.ofSeconds(1);
  private static final long MAX_SETTINGS_SIZE = 1024 * 1024;
  private static final Duration UPDATE_LOCK_TIMEOUT = Duration.ofSeconds(10);

  private record Cached(BucketSettings settings, long loadedAtNanos) {
  }

  private final Vertx vertx;
  private final ObjectStorage backend;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  BucketSettingsStore(Vertx vertx, ObjectStorage backend) {
    this.vertx = vertx;
    this.backend = backend;
  }

  /** The settings, possibly {@link #CACHE_TTL} old; a missing bucket reads as {@link BucketSettings#NONE}. */
  Future<BucketSettings> cached(String bucket) {
    Cached cached = cache.get(bucket);
    if (cached != null && System.nanoTime() - cached.loadedAtNanos() < CACHE_TTL.toNanos()) {
      return Future.succeededFuture(cached.settings());
    }
    return load(bucket).recover(e -> StorageError.NoSuchBucket.is(e) ? Future.succeededFuture(BucketSettings.NONE)
        : Future.failedFuture(e));
  }

  /** The stored settings, read now; {@code 404 NoSuchBucket} for a missing bucket. */
  Future<BucketSettings> load(String bucket) {
    long started = System.nanoTime();
    return backend.get(bucket, VersionKeys.SETTINGS, GetOptions.whole())
        .compose(read -> read.readAll())
        .map(BucketSettingsStore::decode)
        .recover(e -> {
          if (StorageError.NoSuchKey.is(e)) {
            return Future.succeededFuture(BucketSettings.NONE);
          }
          return Future.failedFuture(e);
        })
        .onSuccess(settings -> cache.put(bucket, new Cached(settings, started)));
  }

  /**
   * Applies {@code change} to the stored settings and stores the result. Updates through this instance are
   * serialised; two instances changing different settings of one bucket at the same moment may lose one.
   */
  Future<BucketSettings> update(String bucket, UnaryOperator<BucketSettings> change) {
    return vertx.sharedData().getLocalLockWithTimeout("settings." + bucket, UPDATE_LOCK_TIMEOUT.toMillis())
        .compose(lock -> load(bucket)
            .compose(current -> store(bucket, change.apply(current)))
            .andThen(ar -> lock.release()));
  }

  private Future<BucketSettings> store(String bucket, BucketSettings settings) {
    Buffer body = settings.toJson().toBuffer();
    long started = System.nanoTime();
    return backend.put(bucket, VersionKeys.SETTINGS, new BufferReadStream(vertx.getOrCreateContext(), body),
            new PutOptions("application/json", body.length(), MAX_SETTINGS_SIZE, null, null))
        .map(info -> settings)
        .onSuccess(s -> cache.put(bucket, new Cached(s, started)));
  }

  private static BucketSettings decode(Buffer data) {
    try {
      return BucketSettings.fromJson(new JsonObject(data));
    } catch (DecodeException | IllegalArgumentException | ClassCastException e) {
      throw StorageError.InternalError.exception("The bucket's settings are corrupt");
    }
  }
}
