package com.dante.cacciaguida.storage.versioning;

import com.dante.cacciaguida.presign.PresignSigner;
import com.dante.cacciaguida.storage.BufferReadStream;
import com.dante.cacciaguida.storage.GetOptions;
import com.dante.cacciaguida.storage.ListQuery;
import com.dante.cacciaguida.storage.ObjectInfo;
import com.dante.cacciaguida.storage.ObjectNames;
import com.dante.cacciaguida.storage.ObjectRead;
import com.dante.cacciaguida.storage.ObjectStorage;
import com.dante.cacciaguida.storage.PresignRequest;
import com.dante.cacciaguida.storage.PresignedUrl;
import com.dante.cacciaguida.storage.PutOptions;
import com.dante.cacciaguida.storage.StorageError;
import com.dante.cacciaguida.storage.StorageException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Versioning kept by the service itself (API.md 9), the same over any backend: an {@link ObjectStorage} in front
 * of the backend that the rest of the service uses unchanged, plus the operations on versions and bucket settings.
 *
 * <p>In a bucket that was never versioned every call passes straight through. Once versioning is on, every write
 * (content or delete marker) becomes a new object {@code .cacciaguida/v/<key>/<versionId>} written by the backend
 * as atomically as any put, and then the key's newest version is mirrored onto the key itself by a server-side
 * copy ({@link VersioningBackend#copy}: a hard link on the filesystem, CopyObject on S3), or the key is deleted when
 * the newest version is a delete marker. Plain listings therefore stay the backend's own listing of current keys
 * (the reserved area filtered out, stepped over in one jump), while reads of a versioned key go to the immutable
 * version object, so the content, ETag and {@code X-Version-Id} a reader gets always belong together. The mirror
 * is brought up to date under a per-key lock of this instance, and re-checked after each copy, so concurrent
 * writers (also on other instances) leave it at the newest version.
 *
 * <p>An object written before versioning was enabled is adopted as the key's oldest version on its next write.
 * Writers of content other than {@link #put} (multipart completion) go through the same path with
 * {@link #commitVersion}, or {@link #versionTarget} and {@link #commitTarget} when they must name their key before
 * the content arrives.
 */
public final class VersionedStorage implements ObjectStorage {

  private static final Duration KEY_LOCK_TIMEOUT = Duration.ofSeconds(30);
  /** Versions listed per request when looking for a key's newest. */
  private static final int VERSION_PAGE = 100;
  private static final int MIRROR_ATTEMPTS = 3;
  /** The id of an object that predates versioning and has no version of its own yet, as S3 names it. */
  static final String NULL_VERSION = "null";

  private final Vertx vertx;
  private final ObjectStorage backend;
  private final VersioningBackend copies;
  private final BucketSettingsStore settings;
  private final PresignSigner signer;

  public VersionedStorage(Vertx vertx, ObjectStorage backend, VersioningBackend copies, PresignSigner signer) {
    this.vertx = vertx;
    this.backend = backend;
    this.copies = copies;
    this.settings = new BucketSettingsStore(vertx, backend);
    this.signer = signer;
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
    return backend.ensureBucket(bucket);
  }

  @Override
  public Future<Void> check(boolean deep) {
    return backend.check(deep);
  }

  // ---------------------------------------------------------------- bucket settings

  /** The bucket's versioning status; {@code 404 NoSuchBucket}. */
  public Future<BucketSettings.Status> versioning(String bucket) {
    return settings.load(bucket).map(BucketSettings::versioning);
  }

  public Future<BucketSettings.Status> setVersioning(String bucket, BucketSettings.Status status) {
    return settings.update(bucket, s -> s.withVersioning(status)).map(BucketSettings::versioning);
  }

  /** The bucket's lifecycle rules; {@code 404 NoSuchLifecycleConfiguration} when it has none. */
  public Future<List<LifecycleRule>> lifecycle(String bucket) {
    return settings.load(bucket).compose(s -> s.rules() == null
        ? Future.failedFuture(StorageError.NoSuchLifecycleConfiguration.exception(
            "The bucket has no lifecycle configuration"))
        : Future.succeededFuture(s.rules()));
  }

  public Future<Void> setLifecycle(String bucket, List<LifecycleRule> rules) {
    return settings.update(bucket, s -> s.withRules(rules)).mapEmpty();
  }

  public Future<Void> deleteLifecycle(String bucket) {
    return settings.update(bucket, s -> s.withRules(null)).mapEmpty();
  }

  /** The stored settings, read now (for the sweeper, which must not act on a stale cache). */
  Future<BucketSettings> settingsNow(String bucket) {
    return settings.load(bucket);
  }

  Future<List<String>> buckets() {
    return copies.buckets();
  }

  // ---------------------------------------------------------------- writes

  @Override
  public Future<ObjectInfo> put(String bucket, String key, ReadStream<Buffer> body, PutOptions options) {
    return commitVersion(bucket, key, target -> backend.put(bucket, target, body, options));
  }

  /**
   * The hook for every writer of object content (plain PUT, presigned PUT, multipart completion): commits a new
   * current version of {@code bucket/key}. {@code writer} must store the whole object atomically at the key it is
   * given and answer its ObjectInfo. It is {@link #versionTarget} followed by {@link #commitTarget}.
   */
  public Future<ObjectInfo> commitVersion(String bucket, String key,
                                          Function<String, Future<ObjectInfo>> writer) {
    return versionTarget(bucket, key)
        .compose(target -> writer.apply(target).compose(written -> commitTarget(bucket, key, target, written)));
  }

  /**
   * First half of the hook, for writers that must name their key before the content arrives (an S3 multipart
   * upload is created for one key): where to store the next content of {@code bucket/key}. That is {@code key}
   * itself in an unversioned bucket, else the key of a new version (which orders by this call's time).
   */
  public Future<String> versionTarget(String bucket, String key) {
    return attempt(() -> {
      VersionKeys.requireUserKey(key);
      return settings.cached(bucket).map(s -> {
        if (!s.versioned()) {
          return key;
        }
        VersionKeys.requireVersionable(key);
        return VersionKeys.versionKey(key, VersionId.next(kindOf(s, false)).id());
      });
    });
  }

  /**
   * Second half of the hook, once the whole object is stored at {@code target} (from {@link #versionTarget}):
   * makes it the current version and answers {@code written} with the caller's key and, when versioned, the
   * {@code versionId}. Content written at the key itself while versioning was turned on meanwhile becomes a
   * version too.
   */
  public Future<ObjectInfo> commitTarget(String bucket, String key, String target, ObjectInfo written) {
    return attempt(() -> {
      VersionKeys.requireUserKey(key);
      if (!target.equals(key)) {
        VersionId id = VersionId.parse(VersionKeys.idOf(target));
        if (id == null || !target.equals(VersionKeys.versionKey(key, id.id()))) {
          throw StorageError.InvalidArgument.exception("Not a version target of " + key + ": " + target);
        }
        return commitId(bucket, key, id, true).map(v -> written.setKey(key).setVersionId(id.id()));
      }
      return settings.cached(bucket).compose(s -> {
        if (!s.versioned()) {
          return Future.succeededFuture(written);
        }
        // what the key held before was overwritten in place: there is nothing left to adopt
        VersionId id = VersionId.next(kindOf(s, false));
        return copies.copy(bucket, key, VersionKeys.versionKey(key, id.id()))
            .compose(v -> commitId(bucket, key, id, false))
            .map(v -> written.setKey(key).setVersionId(id.id()));
      });
    });
  }

  /** Unversioned: deletes the key. Versioned: adds a delete marker (the key reads 404 until it is removed). */
  @Override
  public Future<Void> delete(String bucket, String key) {
    return attempt(() -> {
      VersionKeys.requireUserKey(key);
      return settings.cached(bucket).compose(s -> s.versioned() ? addMarker(bucket, key, kindOf(s, true))
          : backend.delete(bucket, key));
    });
  }

  /**
   * Removes one version for good; when it was the newest, the next newest becomes current (or the key goes away).
   * Answers what was removed ({@code versionId}, {@code deleteMarker}). {@code 404 NoSuchVersion}.
   */
  public Future<ObjectInfo> deleteVersion(String bucket, String key, String versionId) {
    return attempt(() -> {
      VersionKeys.requireUserKey(key);
      VersionId id = requireId(versionId);
      String target = VersionKeys.versionKey(key, id.id());
      return underKeyLock(bucket, key, () -> backend.stat(bucket, target)
          .recover(e -> Future.failedFuture(StorageError.NoSuchKey.is(e) ? noSuchVersion() : e))
          .compose(info -> newest(bucket, key)
              .compose(newest -> backend.delete(bucket, target)
                  .compose(v -> newest != null && newest.id().equals(id.id())
                      ? mirror(bucket, key) : Future.succeededFuture()))
              .map(v -> new ObjectInfo().setKey(key).setVersionId(id.id())
                  .setDeleteMarker(id.kind().marker()))));
    });
  }

  private Future<Void> addMarker(String bucket, String key, VersionId.Kind kind) {
    VersionKeys.requireVersionable(key);
    VersionId id = VersionId.next(kind);
    return backend.put(bucket, VersionKeys.versionKey(key, id.id()),
            new BufferReadStream(vertx.getOrCreateContext(), Buffer.buffer()),
            new PutOptions("application/octet-stream", 0, 0, null, null))
        .compose(info -> commitId(bucket, key, id, true));
  }

  /** A version was stored: keep what predates versioning, drop a replaced null version, mirror the newest. */
  private Future<Void> commitId(String bucket, String key, VersionId id, boolean adopt) {
    return underKeyLock(bucket, key, () -> (adopt ? adoptLegacy(bucket, key, id) : Future.<Void>succeededFuture())
        .compose(v -> id.kind().replaceable() ? dropReplaceable(bucket, key, id) : Future.succeededFuture())
        .compose(v -> mirror(bucket, key)));
  }

  private static VersionId.Kind kindOf(BucketSettings settings, boolean marker) {
    return VersionId.Kind.of(marker, settings.versioning() == BucketSettings.Status.Suspended);
  }

  /**
   * A key whose only object predates versioning gets that object as a version before a newer one hides it: a
   * "null" version (replaceable, as S3's), dated by its Last-Modified.
   */
  private Future<Void> adoptLegacy(String bucket, String key, VersionId written) {
    return versionIds(bucket, key, 2).compose(ids -> {
      if (ids.stream().anyMatch(other -> !other.id().equals(written.id()))) {
        return Future.succeededFuture();
      }
      return backend.stat(bucket, key).transform(ar -> {
        if (ar.failed()) {
          return StorageError.NoSuchKey.is(ar.cause()) ? Future.succeededFuture() : Future.failedFuture(ar.cause());
        }
        long modified = ar.result().getLastModified() == null ? written.micros() - 1
            : ar.result().getLastModified().toEpochMilli() * 1000;
        VersionId legacy = VersionId.at(Math.min(modified, written.micros() - 1), VersionId.Kind.NULL);
        return copies.copy(bucket, key, VersionKeys.versionKey(key, legacy.id()))
            .recover(e -> StorageError.NoSuchKey.is(e) ? Future.succeededFuture() : Future.failedFuture(e));
      });
    });
  }

  /** Suspended: a write replaces the key's earlier null version instead of keeping it. */
  private Future<Void> dropReplaceable(String bucket, String key, VersionId keep) {
    return versionIds(bucket, key, Integer.MAX_VALUE).compose(ids -> {
      Future<Void> chain = Future.succeededFuture();
      for (VersionId id : ids) {
        if (id.kind().replaceable() && !id.id().equals(keep.id())) {
          chain = chain.compose(v -> backend.delete(bucket, VersionKeys.versionKey(key, id.id())));
        }
      }
      return chain;
    });
  }

  /**
   * Makes the key itself show its newest version: a copy of it, or nothing when that is a delete marker or no
   * version is left. Checks again after the copy, since another writer may have added a newer one meanwhile.
   */
  private Future<Void> mirror(String bucket, String key) {
    return mirror(bucket, key, 1);
  }

  private Future<Void> mirror(String bucket, String key, int attempt) {
    return newest(bucket, key).compose(newest -> {
      Future<Void> done = newest == null || newest.kind().marker()
          ? backend.delete(bucket, key)
          : copies.copy(bucket, VersionKeys.versionKey(key, newest.id()), key);
      return done.compose(v -> attempt >= MIRROR_ATTEMPTS ? Future.succeededFuture()
          : newest(bucket, key).compose(now -> same(now, newest) ? Future.succeededFuture()
              : mirror(bucket, key, attempt + 1)));
    });
  }

  // ---------------------------------------------------------------- reads

  /**
   * The current object. In a versioned bucket, read from its newest version, whose id the info carries; when that
   * is a delete marker, {@code 404 NoSuchKey} as a {@link DeleteMarkerException}.
   */
  @Override
  public Future<ObjectRead> get(String bucket, String key, GetOptions options) {
    return attempt(() -> {
      VersionKeys.requireUserKey(key);
      return settings.cached(bucket).compose(s -> !s.versioned() ? backend.get(bucket, key, options)
          : current(bucket, key, versionKey -> backend.get(bucket, versionKey, options), ObjectRead::info));
    });
  }

  @Override
  public Future<ObjectInfo> stat(String bucket, String key) {
    return attempt(() -> {
      VersionKeys.requireUserKey(key);
      return settings.cached(bucket).compose(s -> !s.versioned() ? backend.stat(bucket, key)
          : current(bucket, key, versionKey -> backend.stat(bucket, versionKey), info -> info));
    });
  }

  /**
   * One version; {@code 404 NoSuchVersion} when unknown; a delete marker is {@code 405 MethodNotAllowed} as a
   * {@link DeleteMarkerException}.
   */
  public Future<ObjectRead> getVersion(String bucket, String key, String versionId, GetOptions options) {
    return attempt(() -> {
      VersionKeys.requireUserKey(key);
      VersionId id = requireId(versionId);
      String target = VersionKeys.versionKey(key, id.id());
      if (id.kind().marker()) {
        return backend.stat(bucket, target)
            .recover(e -> Future.failedFuture(StorageError.NoSuchKey.is(e) ? noSuchVersion() : e))
            .compose(info -> Future.failedFuture(new DeleteMarkerException(StorageError.MethodNotAllowed,
                "The specified version is a delete marker", id.id())));
      }
      return backend.get(bucket, target, options)
          .map(read -> {
            read.info().setKey(key).setVersionId(id.id());
            return read;
          })
          .recover(e -> Future.failedFuture(StorageError.NoSuchKey.is(e) ? noSuchVersion() : e));
    });
  }

  private <T> Future<T> current(String bucket, String key, Function<String, Future<T>> read,
                                Function<T, ObjectInfo> infoOf) {
    return newest(bucket, key).compose(newest -> {
      if (newest == null) {
        return read.apply(key).map(result -> {
          infoOf.apply(result).setVersionId(NULL_VERSION);
          return result;
        });
      }
      if (newest.kind().marker()) {
        return Future.failedFuture(new DeleteMarkerException(StorageError.NoSuchKey,
            "The specified key does not exist (its current version is a delete marker)", newest.id()));
      }
      return read.apply(VersionKeys.versionKey(key, newest.id())).map(result -> {
        infoOf.apply(result).setKey(key).setVersionId(newest.id());
        return result;
      });
    });
  }

  // ---------------------------------------------------------------- listings

  /**
   * The backend's listing without the reserved area: its entries sort together, so once one shows up the rest of
   * the page is taken from past the whole area, whatever it holds.
   */
  @Override
  public Future<List<ObjectInfo>> list(String bucket, ListQuery query) {
    if (VersionKeys.isReserved(query.prefix())) {
      return backend.list(bucket, new ListQuery("", true, null, 1)).map(List.of());
    }
    return listVisible(bucket, query, query.maxKeys(), new ArrayList<>());
  }

  private Future<List<ObjectInfo>> listVisible(String bucket, ListQuery query, int wanted, List<ObjectInfo> found) {
    return backend.list(bucket, query).compose(page -> {
      boolean skipped = false;
      for (ObjectInfo info : page) {
        if (VersionKeys.isReserved(info.getKey())) {
          skipped = true;
        } else {
          found.add(info);
        }
      }
      if (!skipped || page.size() < query.maxKeys() || found.size() >= wanted) {
        return Future.succeededFuture(found);
      }
      String last = page.get(page.size() - 1).getKey();
      String from = VersionKeys.isReserved(last) ? VersionKeys.PAST_RESERVED : last;
      return listVisible(bucket, new ListQuery(query.prefix(), query.recursive(), from, wanted - found.size()),
          wanted, found);
    });
  }

  /** The versions of every key under {@code prefix}, page by page: see {@link VersionWalk}. */
  public VersionWalk versions(String bucket, String prefix) {
    return new VersionWalk(backend, bucket, ObjectNames.validatePrefix(prefix));
  }

  // ---------------------------------------------------------------- presigned URLs

  /**
   * In a versioned bucket, a URL of this service, so that a presigned PUT passes through versioning whatever the
   * backend; otherwise the backend's own.
   */
  @Override
  public Future<PresignedUrl> presign(String bucket, String key, PresignRequest request) {
    return attempt(() -> {
      VersionKeys.requireUserKey(key);
      return settings.cached(bucket).compose(s -> s.versioned() && request.baseUrl() != null
          ? Future.succeededFuture(signer.presign(bucket, key, request))
          : backend.presign(bucket, key, request));
    });
  }

  // ---------------------------------------------------------------- helpers

  /** The key's newest version, or null when it has none. */
  private Future<VersionId> newest(String bucket, String key) {
    return versionIds(bucket, key, 1).map(ids -> ids.isEmpty() ? null : ids.get(0));
  }

  /**
   * Up to {@code limit} versions of exactly {@code key}, newest first: the direct children of its versions prefix
   * (a deeper key's versions fold into a common prefix and are skipped).
   */
  private Future<List<VersionId>> versionIds(String bucket, String key, int limit) {
    return versionIds(bucket, VersionKeys.versionsOf(key), null, limit, new ArrayList<>());
  }

  private Future<List<VersionId>> versionIds(String bucket, String prefix, String startAfter, int limit,
                                             List<VersionId> found) {
    return backend.list(bucket, new ListQuery(prefix, false, startAfter, VERSION_PAGE)).compose(page -> {
      for (ObjectInfo info : page) {
        VersionId id = info.isCommonPrefix() ? null : VersionId.parse(VersionKeys.idOf(info.getKey()));
        if (id != null) {
          found.add(id);
          if (found.size() >= limit) {
            return Future.succeededFuture(found);
          }
        }
      }
      return page.size() < VERSION_PAGE ? Future.succeededFuture(found)
          : versionIds(bucket, prefix, page.get(page.size() - 1).getKey(), limit, found);
    });
  }

  private <T> Future<T> underKeyLock(String bucket, String key, Supplier<Future<T>> work) {
    return vertx.sharedData().getLocalLockWithTimeout("version." + bucket + "/" + key, KEY_LOCK_TIMEOUT.toMillis())
        .compose(lock -> {
          Future<T> result;
          try {
            result = work.get();
          } catch (RuntimeException e) {
            result = Future.failedFuture(e);
          }
          return result.andThen(ar -> lock.release());
        });
  }

  private static boolean same(VersionId a, VersionId b) {
    return a == null ? b == null : b != null && a.id().equals(b.id());
  }

  private static VersionId requireId(String versionId) {
    VersionId id = VersionId.parse(versionId);
    if (id == null) {
      throw noSuchVersion();
    }
    return id;
  }

  private static StorageException noSuchVersion() {
    return StorageError.NoSuchVersion.exception("The specified version does not exist");
  }

  /** Validation throws; this turns a throw into a failed future so callers see one failure path. */
  private static <T> Future<T> attempt(Supplier<Future<T>> call) {
    try {
      return call.get();
    } catch (StorageException e) {
      return Future.failedFuture(e);
    }
  }
}
