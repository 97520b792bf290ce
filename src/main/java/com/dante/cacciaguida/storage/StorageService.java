package com.dante.cacciaguida.storage;

import io.vertx.codegen.annotations.ProxyGen;
import io.vertx.codegen.annotations.VertxGen;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;

import java.util.List;

/**
 * The storage operations served on the event bus (API.md 5). Java callers use {@link #createProxy}; callers in
 * other languages send a message to {@link #DEFAULT_ADDRESS} with header {@code action} = the method name and a
 * JSON body of named arguments. A failure is a {@code ReplyException} whose failure code is the HTTP status
 * below and whose message starts with the error code of {@link StorageError} ({@code "NoSuchKey: …"}).
 * Object bytes travel over the bus only inline, up to {@code eventbus.maxInlineSize}.
 */
@ProxyGen
@VertxGen
public interface StorageService {

  /** The address the service listens on unless {@code eventbus.address} says otherwise. */
  String DEFAULT_ADDRESS = "storage.service";

  /**
   * Message header carrying the caller's bearer JWT when {@code auth.enabled} (API.md 8); the same permissions
   * as over HTTP apply.
   */
  String AUTH_TOKEN_HEADER = "auth-token";
  /** Message header carrying a static API key, the alternative to {@link #AUTH_TOKEN_HEADER}. */
  String API_KEY_HEADER = "api-key";

  int BAD_REQUEST = 400;
  int UNAUTHORIZED = 401;
  int FORBIDDEN = 403;
  int NOT_FOUND = 404;
  int CONFLICT = 409;
  int PRECONDITION_FAILED = 412;
  int ENTITY_TOO_LARGE = 413;
  int INTERNAL_ERROR = 500;
  int SERVICE_UNAVAILABLE = 503;

  /**
   * A proxy that sends every call to the service at {@code address}, with delivery options (timeout, headers
   * such as an auth token).
   */
  static StorageService createProxy(Vertx vertx, String address, DeliveryOptions options) {
    return new StorageServiceVertxEBProxy(vertx, address, options);
  }

  /** Creates the bucket if it does not exist; an existing bucket is fine. */
  Future<Void> ensureBucket(String bucket);

  /** The object's metadata; {@code 404 NoSuchKey} when absent. */
  Future<ObjectInfo> stat(String bucket, String key);

  /**
   * One page of a listing sorted by key: keys under {@code prefix} (null: all) after {@code startAfter}
   * (null: from the start); {@code recursive=false} folds deeper keys into common prefixes;
   * {@code maxKeys} 1–1000 (null: 1000).
   */
  Future<List<ObjectInfo>> list(String bucket, String prefix, Boolean recursive, Integer maxKeys,
                                String startAfter);

  /** Deletes the object; deleting a missing key succeeds, as on S3. */
  Future<Void> delete(String bucket, String key);

  /**
   * A time-limited URL for {@code GET} or {@code PUT} of one object. {@code expiry} is a duration string
   * ({@code "15m"}, the default when null); {@code baseUrl} is where the service is reached
   * ({@code http://host:port}), used by backends whose URLs point at this service (null: the advertised address).
   */
  Future<PresignedUrl> presign(String bucket, String key, String method, String expiry, String baseUrl);

  /** Stores a small object sent inline; above {@code eventbus.maxInlineSize}: {@code 413 EntityTooLarge}. */
  Future<ObjectInfo> putObject(String bucket, String key, String contentType, Buffer data);

  /** Reads a small object inline; above {@code eventbus.maxInlineSize}: {@code 413 EntityTooLarge}. */
  Future<InlineObject> getObject(String bucket, String key);
}
