package com.dante.cacciaguida.http;

import com.dante.cacciaguida.storage.StorageError;
import com.dante.cacciaguida.storage.versioning.BucketSettings;
import com.dante.cacciaguida.storage.versioning.LifecycleRule;
import com.dante.cacciaguida.storage.versioning.VersionedStorage;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * A bucket's versioning status and lifecycle rules (API.md 9): {@code /buckets/{bucket}/versioning} and
 * {@code /buckets/{bucket}/lifecycle}.
 */
public class VersioningHandlers {

  private final VersionedStorage storage;

  public VersioningHandlers(VersionedStorage storage) {
    this.storage = storage;
  }

  public void getVersioning(RoutingContext ctx) {
    storage.versioning(bucket(ctx))
        .onSuccess(status -> Json.send(ctx, 200, new JsonObject().put("status", status.name())))
        .onFailure(e -> Failures.fail(ctx, e));
  }

  public void putVersioning(RoutingContext ctx) {
    String bucket = bucket(ctx);
    Object value = body(ctx).getValue("status");
    BucketSettings.Status status = value instanceof String text ? BucketSettings.Status.settable(text) : null;
    if (status == null) {
      throw StorageError.InvalidArgument.exception("Expected {\"status\":\"Enabled\"|\"Suspended\"}");
    }
    storage.setVersioning(bucket, status)
        .onSuccess(now -> Json.send(ctx, 200, new JsonObject().put("status", now.name())))
        .onFailure(e -> Failures.fail(ctx, e));
  }

  public void getLifecycle(RoutingContext ctx) {
    storage.lifecycle(bucket(ctx))
        .onSuccess(rules -> Json.send(ctx, 200, new JsonObject().put("rules", LifecycleRule.toJson(rules))))
        .onFailure(e -> Failures.fail(ctx, e));
  }

  public void putLifecycle(RoutingContext ctx) {
    String bucket = bucket(ctx);
    List<LifecycleRule> rules = LifecycleRule.parseRules(body(ctx));
    storage.setLifecycle(bucket, rules)
        .onSuccess(v -> Json.send(ctx, 200, new JsonObject().put("rules", LifecycleRule.toJson(rules))))
        .onFailure(e -> Failures.fail(ctx, e));
  }

  public void deleteLifecycle(RoutingContext ctx) {
    storage.deleteLifecycle(bucket(ctx))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(e -> Failures.fail(ctx, e));
  }

  private static String bucket(RoutingContext ctx) {
    return ObjectPath.bucketOf(ctx.request().path(), BucketHandlers.BUCKETS);
  }

  private static JsonObject body(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().length() == 0 ? null : ctx.body().asJsonObject();
      if (body == null) {
        throw StorageError.InvalidArgument.exception("Expected a JSON object body");
      }
      return body;
    } catch (DecodeException | ClassCastException e) {
      throw StorageError.InvalidArgument.exception("The body is not valid JSON");
    }
  }
}
