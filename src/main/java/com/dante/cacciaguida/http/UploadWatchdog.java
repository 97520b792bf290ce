package com.dante.cacciaguida.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Cuts uploads that trickle. The idle timeout alone lets a client hold a connection (and an open object file)
 * for ever by sending a byte just before each timeout; here a request body must bring at least
 * {@code server.minUploadRate} bytes per second, averaged over each window, or the connection is closed and the
 * upload aborted (nothing is committed). The window is {@code server.idleTimeout}.
 */
final class UploadWatchdog {

  private static final Logger LOG = LoggerFactory.getLogger(UploadWatchdog.class);

  private final Vertx vertx;
  private final long windowMs;
  private final long minBytesPerWindow;

  UploadWatchdog(Vertx vertx, Duration window, long minBytesPerSecond) {
    this.vertx = vertx;
    this.windowMs = window.toMillis();
    this.minBytesPerWindow = minBytesPerSecond * window.toMillis() / 1000;
  }

  /** A route handler placed before the handler that reads the body. */
  void watch(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (minBytesPerWindow <= 0 || request.isEnded()) {
      ctx.next();
      return;
    }
    long[] seen = {request.bytesRead()};
    long timer = vertx.setPeriodic(windowMs, id -> {
      long read = request.bytesRead();
      if (request.isEnded()) {
        vertx.cancelTimer(id);
      } else if (read - seen[0] < minBytesPerWindow) {
        vertx.cancelTimer(id);
        LOG.info("Request {} {}: {} bytes in {} ms, below the minimum upload rate; closing the connection",
            RequestLog.requestId(ctx), request.path(), read - seen[0], windowMs);
        request.connection().close();
      }
      seen[0] = read;
    });
    ctx.addEndHandler(done -> vertx.cancelTimer(timer));
    ctx.next();
  }
}
