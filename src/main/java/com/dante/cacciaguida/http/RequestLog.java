package com.dante.cacciaguida.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * First handler of every request: gives it an id ({@code X-Request-Id}: the caller's, else a new one) and writes
 * one access-log line ({@link AccessLog}) when the response is done (request id, method, path, status, bytes in and
 * out, duration).
 */
public final class RequestLog {

  public static final String HEADER = "X-Request-Id";
  private static final String KEY = "requestId";

  private RequestLog() {
  }

  public static void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    HttpServerRequest request = ctx.request();
    String id = newId(request);
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    if (AccessLog.enabled()) {
      ctx.addEndHandler(done -> AccessLog.request(id, request.method().name(), request.path(),
          ctx.response().getStatusCode(), request.bytesRead(), ctx.response().bytesWritten(),
          (System.nanoTime() - start) / 1_000_000, done.succeeded()));
    }
    ctx.next();
  }

  /**
   * 128 random bits in UUID form. Request ids need uniqueness, not unpredictability: ThreadLocalRandom avoids
   * the shared, synchronized SecureRandom of {@link UUID#randomUUID()} on every request.
   */
  private static String randomId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return new UUID(random.nextLong(), random.nextLong()).toString();
  }

  /** The caller's {@code X-Request-Id} when usable, else a new one. */
  static String newId(HttpServerRequest request) {
    String id = request.getHeader(HEADER);
    return id == null || id.isBlank() || id.length() > 128 ? randomId() : id;
  }

  public static String requestId(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id == null ? "" : id;
  }
}
