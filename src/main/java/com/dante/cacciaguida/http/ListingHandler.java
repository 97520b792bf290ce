package com.dante.cacciaguida.http;

import com.dante.cacciaguida.storage.ListQuery;
import com.dante.cacciaguida.storage.ObjectInfo;
import com.dante.cacciaguida.storage.ObjectNames;
import com.dante.cacciaguida.storage.StorageError;
import com.dante.cacciaguida.storage.StorageService;
import com.dante.cacciaguida.storage.versioning.VersionEntry;
import com.dante.cacciaguida.storage.versioning.VersionWalk;
import com.dante.cacciaguida.storage.versioning.VersionedStorage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * {@code GET /objects/[{bucket}/]list} (API.md 4.0). With {@code maxKeys} one page comes back, with
 * {@code X-Is-Truncated} and {@code X-Next-Start-After} (percent-encoded, so it can be pasted into the next
 * query) when more remain. Without it the whole listing streams as one JSON array, page by page, written only as
 * fast as the client reads: memory does not grow with the bucket. With {@code versions=true} it lists every version
 * under {@code prefix} instead (API.md 9), streamed the same way.
 */
public class ListingHandler {

  private final CallerStorage storage;
  private final VersionedStorage versions;
  private final String defaultBucket;

  public ListingHandler(CallerStorage storage, VersionedStorage versions, String defaultBucket) {
    this.storage = storage;
    this.versions = versions;
    this.defaultBucket = defaultBucket;
  }

  public void listDefault(RoutingContext ctx) {
    list(ctx, defaultBucket);
  }

  public void list(RoutingContext ctx) {
    list(ctx, ObjectPath.bucketOf(ctx.request().path(), ObjectHandlers.OBJECTS));
  }

  private void list(RoutingContext ctx, String bucket) {
    String prefix = ctx.request().getParam("prefix", "");
    if (parseFlag(ctx.request().getParam("versions"), "versions", false)) {
      streamVersions(ctx, versions.versions(bucket, prefix));
      return;
    }
    boolean recursive = parseRecursive(ctx.request().getParam("recursive"));
    String startAfter = ctx.request().getParam("startAfter");
    String maxKeysParam = ctx.request().getParam("maxKeys");
    if (maxKeysParam == null) {
      stream(ctx, bucket, prefix, recursive, startAfter);
      return;
    }
    int maxKeys = parseMaxKeys(maxKeysParam);
    // one more than asked tells whether the listing goes on
    storage.of(ctx).list(bucket, prefix, recursive, maxKeys + 1, startAfter)
        .onSuccess(page -> {
          if (page.size() > maxKeys) {
            page = page.subList(0, maxKeys);
            ctx.response().putHeader("X-Is-Truncated", "true")
                .putHeader("X-Next-Start-After", ObjectNames.encodePath(page.get(maxKeys - 1).getKey()));
          } else {
            ctx.response().putHeader("X-Is-Truncated", "false");
          }
          JsonArray array = new JsonArray();
          page.forEach(info -> array.add(info.toJson()));
          Json.send(ctx, 200, array);
        })
        .onFailure(e -> Failures.fail(ctx, e));
  }

  private void stream(RoutingContext ctx, String bucket, String prefix, boolean recursive, String startAfter) {
    HttpServerResponse response = ctx.response();
    StorageService storage = this.storage.of(ctx);
    storage.list(bucket, prefix, recursive, ListQuery.MAX_PAGE, startAfter)
        .onSuccess(first -> {
          response.setChunked(true).putHeader("Content-Type", Json.CONTENT_TYPE).setStatusCode(200);
          writePages(storage, response, bucket, prefix, recursive, first, true)
              .onSuccess(v -> response.end("]"))
              .onFailure(e -> Failures.fail(ctx, e));
        })
        .onFailure(e -> Failures.fail(ctx, e));
  }

  private Future<Void> writePages(StorageService storage, HttpServerResponse response, String bucket,
                                  String prefix, boolean recursive, List<ObjectInfo> page, boolean first) {
    Buffer chunk = Buffer.buffer(page.size() * 160);
    chunk.appendString(first ? "[" : "");
    for (int i = 0; i < page.size(); i++) {
      if (!first || i > 0) {
        chunk.appendString(",");
      }
      chunk.appendBuffer(page.get(i).toJson().toBuffer());
    }
    response.write(chunk);
    if (page.size() < ListQuery.MAX_PAGE) {
      return Future.succeededFuture();
    }
    String last = page.get(page.size() - 1).getKey();
    return drained(response)
        .compose(v -> storage.list(bucket, prefix, recursive, ListQuery.MAX_PAGE, last))
        .compose(next -> next.isEmpty() ? Future.succeededFuture()
            : writePages(storage, response, bucket, prefix, recursive, next, false));
  }

  private void streamVersions(RoutingContext ctx, VersionWalk walk) {
    HttpServerResponse response = ctx.response();
    walk.next()
        .onSuccess(first -> {
          response.setChunked(true).putHeader("Content-Type", Json.CONTENT_TYPE).setStatusCode(200);
          writeVersions(response, walk, first, true)
              .onSuccess(v -> response.end("]"))
              .onFailure(e -> Failures.fail(ctx, e));
        })
        .onFailure(e -> Failures.fail(ctx, e));
  }

  private Future<Void> writeVersions(HttpServerResponse response, VersionWalk walk, List<VersionEntry> page,
                                     boolean first) {
    Buffer chunk = Buffer.buffer(page.size() * 200);
    chunk.appendString(first ? "[" : "");
    for (int i = 0; i < page.size(); i++) {
      if (!first || i > 0) {
        chunk.appendString(",");
      }
      chunk.appendBuffer(page.get(i).toInfo().toJson().toBuffer());
    }
    response.write(chunk);
    if (page.isEmpty()) {
      return Future.succeededFuture();
    }
    return drained(response)
        .compose(v -> walk.next())
        .compose(next -> next.isEmpty() ? Future.succeededFuture() : writeVersions(response, walk, next, false));
  }

  private static Future<Void> drained(HttpServerResponse response) {
    if (response.closed()) {
      return Future.failedFuture(StorageError.ServiceUnavailable.exception("The client went away"));
    }
    if (!response.writeQueueFull()) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    response.drainHandler(v -> promise.tryComplete());
    response.closeHandler(v -> promise.tryFail("The client went away"));
    return promise.future();
  }

  private static boolean parseRecursive(String value) {
    return parseFlag(value, "recursive", true);
  }

  private static boolean parseFlag(String value, String name, boolean absent) {
    if (value == null) {
      return absent;
    }
    if (value.equals("true")) {
      return true;
    }
    if (value.equals("false")) {
      return false;
    }
    throw StorageError.InvalidArgument.exception(name + " must be true or false");
  }

  private static int parseMaxKeys(String value) {
    try {
      int n = Integer.parseInt(value);
      if (n >= 1 && n <= ListQuery.MAX_PAGE) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw StorageError.InvalidArgument.exception("maxKeys must be a number from 1 to " + ListQuery.MAX_PAGE);
  }
}
