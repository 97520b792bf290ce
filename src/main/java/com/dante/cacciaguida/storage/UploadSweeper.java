package com.dante.cacciaguida.storage;

import com.dante.cacciaguida.config.StorageConfig;
import com.dante.cacciaguida.metrics.StorageMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;

/**
 * Aborts multipart uploads older than {@code uploads.expireAfter} (API.md 7): once at startup, which also clears
 * what a crashed instance left, then every quarter of that age (at most hourly), so an abandoned upload lives at
 * most about 1.25 times its allowed age. A non-positive {@code expireAfter} keeps uploads forever.
 */
public class UploadSweeper extends VerticleBase {

  static final Duration MAX_INTERVAL = Duration.ofHours(1);
  static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
  private static final Logger LOG = LoggerFactory.getLogger(UploadSweeper.class);

  private final StorageConfig config;
  private Duration expireAfter;
  private MultipartStorage multipart;
  private long timer = -1;
  private boolean sweeping;

  public UploadSweeper(StorageConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    expireAfter = config.uploadsExpireAfter();
    Backends.acquire(vertx, config);
    multipart = Backends.multipart(vertx);
    if (expireAfter.isZero() || expireAfter.isNegative()) {
      LOG.info("Multipart uploads never expire (uploads.expireAfter is {})", expireAfter);
      return Future.succeededFuture();
    }
    Duration interval = interval(expireAfter);
    // the first sweep must not hold up startup: an unreachable S3 server would fail it anyway
    Backends.started(vertx).onComplete(ar -> sweep());
    timer = vertx.setPeriodic(interval.toMillis(), id -> sweep());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return Backends.release(vertx);
  }

  static Duration interval(Duration expireAfter) {
    Duration quarter = expireAfter.dividedBy(4);
    Duration capped = quarter.compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : quarter;
    return capped.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : capped;
  }

  private void sweep() {
    if (sweeping) {
      return;
    }
    sweeping = true;
    multipart.expire(Instant.now().minus(expireAfter))
        .onSuccess(n -> {
          if (n > 0) {
            LOG.info("Aborted {} multipart uploads older than {}", n, expireAfter);
          }
        })
        .onFailure(e -> LOG.warn("Expiring multipart uploads failed: {}", e.getMessage()))
        .transform(ar -> multipart.countOpen())
        .onSuccess(open -> StorageMetrics.of(vertx).multipartUploadsCounted(open))
        .onComplete(ar -> sweeping = false);
  }
}
