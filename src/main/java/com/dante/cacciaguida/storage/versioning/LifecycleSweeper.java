package com.dante.cacciaguida.storage.versioning;

import com.dante.cacciaguida.storage.ListQuery;
import com.dante.cacciaguida.storage.ObjectInfo;
import com.dante.cacciaguida.storage.StorageError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Applies every bucket's lifecycle rules (API.md 9) every {@code lifecycle.sweepInterval}. A cluster sweeps each
 * bucket once per interval: the instance that gets the bucket's cluster-wide lock ({@code lifecycle.<bucket>},
 * Vert.x shared data, over Hazelcast when clustered) sweeps it, unless the cluster-wide map
 * {@value #SWEEPS_MAP} says another instance did so less than half an interval ago; the others skip it. A sweep
 * pages through listings ({@code startAfter}), never holding one in memory, and removes only what is due, one
 * object at a time, so a crash mid-sweep loses nothing else and the next sweep finishes the work.
 *
 * <p>Each bucket swept is announced on the event bus at {@value #SWEPT_ADDRESS} (published, cluster-wide):
 * {@code {"instance","bucket","expired","removed"}}.
 */
public final class LifecycleSweeper {

  public static final String SWEPT_ADDRESS = "storage.lifecycle.swept";
  static final String SWEEPS_MAP = "lifecycle.sweeps";
  /** How long to wait for a bucket's lock: briefly, since whoever holds it is sweeping the bucket right now. */
  private static final Duration LOCK_WAIT = Duration.ofMillis(200);

  private static final Logger LOG = LoggerFactory.getLogger(LifecycleSweeper.class);

  private record Counts(long expired, long removed) {
    Counts plus(Counts other) {
      return new Counts(expired + other.expired, removed + other.removed);
    }
  }

  private final Vertx vertx;
  private final VersionedStorage storage;
  private final Duration interval;
  private final String instanceId;
  private long timer = -1;
  private boolean running;

  public LifecycleSweeper(Vertx vertx, VersionedStorage storage, Duration interval, String instanceId) {
    this.vertx = vertx;
    this.storage = storage;
    this.interval = interval;
    this.instanceId = instanceId;
  }

  public void start() {
    timer = vertx.setPeriodic(interval.toMillis(), id -> {
      if (running) {
        return;
      }
      running = true;
      sweepAll().onComplete(ar -> running = false);
    });
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private Future<Void> sweepAll() {
    return storage.buckets()
        .recover(e -> {
          LOG.warn("Lifecycle sweep: cannot list the buckets: {}", e.getMessage());
          return Future.succeededFuture(List.of());
        })
        .compose(buckets -> {
          Future<Void> chain = Future.succeededFuture();
          for (String bucket : buckets) {
            chain = chain.compose(v -> sweepBucket(bucket).recover(e -> {
              LOG.warn("Lifecycle sweep of bucket {} failed: {}", bucket, e.getMessage());
              return Future.succeededFuture();
            }));
          }
          return chain;
        });
  }

  private Future<Void> sweepBucket(String bucket) {
    return storage.settingsNow(bucket).compose(settings -> {
      if (settings.rules() == null) {
        return Future.succeededFuture();
      }
      return vertx.sharedData().getLockWithTimeout("lifecycle." + bucket, LOCK_WAIT.toMillis()).transform(locked -> {
        if (locked.failed()) {
          LOG.debug("Bucket {} is being swept by another instance", bucket);
          return Future.succeededFuture();
        }
        Lock lock = locked.result();
        return sweepIfDue(bucket, settings.rules()).andThen(ar -> lock.release());
      });
    });
  }

  private Future<Void> sweepIfDue(String bucket, List<LifecycleRule> rules) {
    return vertx.sharedData().<String, Long>getAsyncMap(SWEEPS_MAP).compose(sweeps -> sweeps.get(bucket)
        .compose(last -> {
          long now = System.currentTimeMillis();
          if (last != null && now - last < interval.toMillis() / 2) {
            return Future.succeededFuture();
          }
          return sweep(bucket, rules).compose(counts -> record(sweeps, bucket, now, counts));
        }));
  }

  private Future<Void> record(AsyncMap<String, Long> sweeps, String bucket, long sweptAt, Counts counts) {
    if (counts.expired() > 0 || counts.removed() > 0) {
      LOG.info("Lifecycle sweep of bucket {}: {} objects expired, {} noncurrent versions removed", bucket,
          counts.expired(), counts.removed());
    }
    vertx.eventBus().publish(SWEPT_ADDRESS, new JsonObject().put("instance", instanceId).put("bucket", bucket)
        .put("expired", counts.expired()).put("removed", counts.removed()));
    return sweeps.put(bucket, sweptAt);
  }

  private Future<Counts> sweep(String bucket, List<LifecycleRule> rules) {
    Instant now = Instant.now();
    Future<Counts> chain = Future.succeededFuture(new Counts(0, 0));
    for (LifecycleRule rule : rules) {
      if (rule.expireAfter() != null) {
        Instant cutoff = now.minus(rule.expireAfter());
        chain = chain.compose(c -> expire(bucket, rule.prefix(), cutoff, null, 0).map(n -> c.plus(new Counts(n, 0))));
      }
      if (rule.noncurrentExpireAfter() != null) {
        Instant cutoff = now.minus(rule.noncurrentExpireAfter());
        chain = chain.compose(c -> removeNoncurrent(storage.versions(bucket, rule.prefix()), bucket, cutoff, 0)
            .map(n -> c.plus(new Counts(0, n))));
      }
    }
    return chain;
  }

  /** Deletes current objects last modified before {@code cutoff} (a delete marker where versioned). */
  private Future<Long> expire(String bucket, String prefix, Instant cutoff, String startAfter, long done) {
    return storage.list(bucket, new ListQuery(prefix, true, startAfter, ListQuery.MAX_PAGE)).compose(page -> {
      Future<Long> chain = Future.succeededFuture(done);
      for (ObjectInfo info : page) {
        if (info.getLastModified() != null && info.getLastModified().isBefore(cutoff)) {
          chain = chain.compose(n -> storage.delete(bucket, info.getKey()).map(v -> n + 1));
        }
      }
      if (page.size() < ListQuery.MAX_PAGE) {
        return chain;
      }
      String last = page.get(page.size() - 1).getKey();
      return chain.compose(n -> expire(bucket, prefix, cutoff, last, n));
    });
  }

  /** Removes versions that stopped being current before {@code cutoff}. */
  private Future<Long> removeNoncurrent(VersionWalk walk, String bucket, Instant cutoff, long done) {
    return walk.next().compose(entries -> {
      if (entries.isEmpty()) {
        return Future.succeededFuture(done);
      }
      Future<Long> chain = Future.succeededFuture(done);
      for (VersionEntry entry : entries) {
        if (!entry.latest() && entry.noncurrentSince().isBefore(cutoff)) {
          chain = chain.compose(n -> storage.deleteVersion(bucket, entry.key(), entry.id().id())
              .map(v -> n + 1)
              .recover(e -> StorageError.NoSuchVersion.is(e) ? Future.succeededFuture(n) : Future.failedFuture(e)));
        }
      }
      return chain.compose(n -> removeNoncurrent(walk, bucket, cutoff, n));
    });
  }
}
