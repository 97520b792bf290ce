package com.dante.cacciaguida.storage;

import com.dante.cacciaguida.config.StorageConfig;
import com.dante.cacciaguida.metrics.MeteredObjectStorage;
import com.dante.cacciaguida.metrics.StorageMetrics;
import com.dante.cacciaguida.presign.PresignSigner;
import com.dante.cacciaguida.storage.fs.FsMultipartStorage;
import com.dante.cacciaguida.storage.fs.FsObjectStorage;
import com.dante.cacciaguida.storage.s3.S3ObjectStorage;
import com.dante.cacciaguida.storage.versioning.VersionedStorage;
import com.dante.cacciaguida.storage.versioning.VersioningBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * Creates the configured backend once per Vert.x instance and shares it between the verticles that need it
 * (the storage verticle for control operations, every HTTP verticle instance for streaming bodies), the way
 * Vert.x shares its own clients: one S3 client and connection pool per process, not one per verticle. The backend
 * is handed out behind {@link VersionedStorage}, so every write of every caller passes through versioning.
 */
public final class Backends {

  private static final Logger LOG = LoggerFactory.getLogger(Backends.class);
  private static final String MAP = "cacciaguida.backends";
  private static final String KEY = "backend";

  private Backends() {
  }

  private record Holder(VersionedStorage backend, MultipartStorage multipart, Future<Void> started, int[] users)
      implements Shareable {
  }

  /**
   * The shared backend, created and started by the first caller. Starting may fail (S3 server down): the
   * backend is still returned, calls fail with 503 until it answers, and health says DOWN.
   */
  public static VersionedStorage acquire(Vertx vertx, StorageConfig config) {
    LocalMap<String, Holder> map = vertx.sharedData().getLocalMap(MAP);
    synchronized (Backends.class) {
      Holder holder = map.get(KEY);
      if (holder == null) {
        holder = create(vertx, config);
        holder.started().onFailure(e -> LOG.warn("Storage backend not available at startup: {}", e.getMessage()));
        map.put(KEY, holder);
      }
      holder.users()[0]++;
      return holder.backend();
    }
  }

  /** The multipart uploads of the backend this caller {@link #acquire acquired} (released with it). */
  public static MultipartStorage multipart(Vertx vertx) {
    LocalMap<String, Holder> map = vertx.sharedData().getLocalMap(MAP);
    Holder holder = map.get(KEY);
    if (holder == null) {
      throw new IllegalStateException("No backend acquired");
    }
    return holder.multipart();
  }

  /** Completes when the shared backend's start attempt finished (successfully or not). */
  public static Future<Void> started(Vertx vertx) {
    LocalMap<String, Holder> map = vertx.sharedData().getLocalMap(MAP);
    Holder holder = map.get(KEY);
    return holder == null ? Future.succeededFuture() : holder.started().otherwiseEmpty().mapEmpty();
  }

  /** Releases one use; the last user closes the backend. */
  public static Future<Void> release(Vertx vertx) {
    LocalMap<String, Holder> map = vertx.sharedData().getLocalMap(MAP);
    synchronized (Backends.class) {
      Holder holder = map.get(KEY);
      if (holder == null || --holder.users()[0] > 0) {
        return Future.succeededFuture();
      }
      map.remove(KEY);
      return holder.backend().close();
    }
  }

  private static Holder create(Vertx vertx, StorageConfig config) {
    byte[] secret = config.presign().secret().getBytes(StandardCharsets.UTF_8);
    ObjectStorage backend;
    VersioningBackend copies;
    MultipartStorage multipart;
    switch (config.backend()) {
      case FILESYSTEM -> {
        FsObjectStorage fs = new FsObjectStorage(vertx, config.filesystem().root(), config.filesystem().fsync(),
            secret);
        backend = fs;
        copies = fs;
        multipart = new FsMultipartStorage(vertx, config.filesystem().root(), config.filesystem().fsync());
      }
      case S3 -> {
        S3ObjectStorage s3 = new S3ObjectStorage(vertx, config.minio(), config.requestTimeout());
        backend = s3;
        copies = s3;
        multipart = s3.multipart(secret);
      }
      default -> throw new IllegalStateException("Unknown backend " + config.backend());
    }
    // versioning sits on top, so the metered calls are what the backend itself was asked to do
    VersionedStorage versioned = new VersionedStorage(vertx,
        new MeteredObjectStorage(backend, StorageMetrics.of(vertx)), copies, new PresignSigner(secret));
    return new Holder(versioned, multipart, versioned.start(), new int[] {0});
  }
}
