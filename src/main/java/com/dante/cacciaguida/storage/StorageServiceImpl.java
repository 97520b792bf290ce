package com.dante.cacciaguida.storage;

import com.dante.cacciaguida.config.ConfigValues;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The storage contract over one backend: validates names and arguments (so every caller, HTTP or event bus,
 * gets the same 400s) and delegates to the {@link ObjectStorage}. Every failure it returns is a
 * {@link StorageException}: anything else would be answered by the generated proxy handler as a
 * {@code ServiceException}, whose codec a caller with only vertx-core cannot decode.
 */
public class StorageServiceImpl implements StorageService {

  private static final Logger LOG = LoggerFactory.getLogger(StorageServiceImpl.class);

  private static final Duration DEFAULT_EXPIRY = Duration.ofMinutes(15);

  private final Vertx vertx;
  private final ObjectStorage backend;
  private final String defaultBucket;
  private final long maxInlineSize;
  private final Duration maxExpiry;
  private final String defaultBaseUrl;

  public StorageServiceImpl(Vertx vertx, ObjectStorage backend, String defaultBucket, long maxInlineSize,
                            Duration maxExpiry, String defaultBaseUrl) {
    this.vertx = vertx;
    this.backend = backend;
    this.defaultBucket = defaultBucket;
    this.maxInlineSize = maxInlineSize;
    this.maxExpiry = maxExpiry;
    this.defaultBaseUrl = defaultBaseUrl;
  }

  @Override
  public Future<Void> ensureBucket(String bucket) {
    return attempt(() -> backend.ensureBucket(bucket(bucket)));
  }

  @Override
  public Future<ObjectInfo> stat(String bucket, String key) {
    return attempt(() -> backend.stat(bucket(bucket), ObjectNames.validateKey(key)));
  }

  @Override
  public Future<List<ObjectInfo>> list(String bucket, String prefix, Boolean recursive, Integer maxKeys,
                                       String startAfter) {
    return attempt(() -> {
      int pageSize = maxKeys == null ? ListQuery.MAX_PAGE : maxKeys;
      if (pageSize < 1 || pageSize > ListQuery.MAX_PAGE + 1) {
        throw StorageError.InvalidArgument.exception("maxKeys must be between 1 and " + ListQuery.MAX_PAGE);
      }
      ListQuery query = new ListQuery(ObjectNames.validatePrefix(prefix), recursive == null || recursive,
          startAfter == null || startAfter.isEmpty() ? null : startAfter, pageSize);
      return backend.list(bucket(bucket), query);
    });
  }

  @Override
  public Future<Void> delete(String bucket, String key) {
    return attempt(() -> backend.delete(bucket(bucket), ObjectNames.validateKey(key)));
  }

  @Override
  public Future<PresignedUrl> presign(String bucket, String key, String method, String expiry, String baseUrl) {
    return attempt(() -> {
      String m = method == null ? "" : method.toUpperCase(Locale.ROOT);
      if (!m.equals("GET") && !m.equals("PUT")) {
        throw StorageError.InvalidArgument.exception("method must be GET or PUT");
      }
      Duration validFor = parseExpiry(expiry);
      return backend.presign(bucket(bucket), ObjectNames.validateKey(key),
          new PresignRequest(m, validFor, baseUrl == null || baseUrl.isEmpty() ? defaultBaseUrl : baseUrl));
    });
  }

  @Override
  public Future<ObjectInfo> putObject(String bucket, String key, String contentType, Buffer data) {
    return attempt(() -> {
      String b = bucket(bucket);
      String k = ObjectNames.validateKey(key);
      Buffer body = data == null ? Buffer.buffer() : data;
      if (body.length() > maxInlineSize) {
        throw tooLargeInline();
      }
      String type = contentType == null || contentType.isBlank() ? ContentTypes.guess(k) : contentType;
      return backend.put(b, k, new BufferReadStream(vertx.getOrCreateContext(), body),
          new PutOptions(type, body.length(), maxInlineSize, null, null));
    });
  }

  @Override
  public Future<InlineObject> getObject(String bucket, String key) {
    return attempt(() -> backend.get(bucket(bucket), ObjectNames.validateKey(key), GetOptions.whole())
        .compose(read -> {
          if (read.info().getSize() > maxInlineSize) {
            read.close();
            return Future.failedFuture(tooLargeInline());
          }
          return read.readAll().map(data -> new InlineObject(read.info(), data));
        }));
  }

  private Duration parseExpiry(String expiry) {
    if (expiry == null || expiry.isBlank()) {
      return DEFAULT_EXPIRY;
    }
    Duration d;
    try {
      d = ConfigValues.parseDuration(expiry);
    } catch (IllegalArgumentException e) {
      throw StorageError.InvalidArgument.exception("expiry must be a duration such as 15m, 2h or 7d");
    }
    if (d.isZero() || d.compareTo(maxExpiry) > 0) {
      throw StorageError.InvalidArgument.exception("expiry must be greater than zero and at most "
          + ConfigValues.formatDuration(maxExpiry));
    }
    return d;
  }

  private StorageException tooLargeInline() {
    return StorageError.EntityTooLarge.exception("Objects larger than " + maxInlineSize
        + " bytes do not travel over the event bus; use HTTP or a presigned URL");
  }

  private String bucket(String bucket) {
    return ObjectNames.validateBucket(bucket == null || bucket.isEmpty() ? defaultBucket : bucket);
  }

  /**
   * Validation throws; this turns a throw into a failed future so callers see one failure path, and turns
   * unexpected failures (bugs, backend errors without a storage code) into {@code 500 InternalError}.
   */
  private static <T> Future<T> attempt(Supplier<Future<T>> call) {
    Future<T> result;
    try {
      result = call.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.recover(StorageServiceImpl::asStorageFailure);
  }

  private static <T> Future<T> asStorageFailure(Throwable failure) {
    if (failure instanceof StorageException) {
      return Future.failedFuture(failure);
    }
    LOG.error("Storage operation failed unexpectedly", failure);
    return Future.failedFuture(
        StorageError.InternalError.exception("We encountered an internal error. Please try again."));
  }
}
