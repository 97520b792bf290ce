package com.dante.cacciaguida.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code POST /buckets/{bucket}}: ensures the bucket exists. */
public class BucketHandlers {

  static final String BUCKETS = "/buckets/";

  private final CallerStorage storage;

  public BucketHandlers(CallerStorage storage) {
    this.storage = storage;
  }

  public void ensure(RoutingContext ctx) {
    String bucket = ObjectPath.bucketOf(ctx.request().path(), BUCKETS);
    storage.of(ctx).ensureBucket(bucket)
        .onSuccess(v -> Json.send(ctx, 201, new JsonObject()
            .put("message", "Bucket ensured successfully").put("bucket", bucket)))
        .onFailure(e -> Failures.fail(ctx, e));
  }
}
