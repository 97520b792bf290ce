package com.dante.cacciaguida.http;

import com.dante.cacciaguida.storage.StorageError;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /presigned-url/[{bucket}/]{key}} with {@code {"method":"GET"|"PUT","expiry":"15m"}} (API.md 4.3).
 * URLs of this service (filesystem backend) point at the host the caller used to ask.
 */
public class PresignHandler {

  static final String PRESIGNED_URL = "/presigned-url/";

  private final CallerStorage storage;
  private final String defaultBucket;

  public PresignHandler(CallerStorage storage, String defaultBucket) {
    this.storage = storage;
    this.defaultBucket = defaultBucket;
  }

  public ObjectPath path(RoutingContext ctx) {
    return ObjectPath.resolve(ctx.request().path(), PRESIGNED_URL, defaultBucket);
  }

  public void create(RoutingContext ctx) {
    ObjectPath path = path(ctx);
    JsonObject body = body(ctx);
    storage.of(ctx).presign(path.bucket(), path.key(), body.getString("method"), body.getString("expiry"),
            baseUrl(ctx.request()))
        .onSuccess(url -> Json.send(ctx, 200, url.toJson()))
        .onFailure(e -> Failures.fail(ctx, e));
  }

  /** The presign request body: method, and optionally expiry. */
  public static JsonObject body(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().length() == 0 ? null : ctx.body().asJsonObject();
      if (body == null) {
        throw StorageError.InvalidArgument.exception("Expected a JSON body {\"method\":\"GET\"|\"PUT\"}");
      }
      Object method = body.getValue("method");
      Object expiry = body.getValue("expiry");
      if (!(method instanceof String) || (expiry != null && !(expiry instanceof String))) {
        throw StorageError.InvalidArgument.exception("method and expiry must be strings");
      }
      return body;
    } catch (DecodeException | ClassCastException e) {
      throw StorageError.InvalidArgument.exception("The body is not valid JSON");
    }
  }

  private static String baseUrl(HttpServerRequest request) {
    if (request.authority() == null) {
      return null;
    }
    return (request.isSSL() ? "https" : "http") + "://" + request.authority();
  }
}
