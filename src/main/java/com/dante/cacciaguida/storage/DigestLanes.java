package com.dante.cacciaguida.storage;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Computes the digests of one large body off the event loop, each digest in its own lane: the body's chunks, in
 * order, on a small shared pool, so MD5 and SHA-256 run at once on two cores while the event loop goes on reading
 * and writing. Inline on the event loop they capped an upload at what one core hashes (~330 MiB/s for both here,
 * the event loop doing nothing else). The queued bytes are bounded: {@link #update} says when the body should wait,
 * and {@code caughtUp} runs on the caller's context once the lanes have digested down to half of that bound.
 *
 * <p>The chunks are read, never written, by the lanes; the body's buffers are heap copies nobody reuses.
 */
final class DigestLanes {

  /**
   * Bytes queued over all lanes before the body is paused: with MD5 and SHA-256, 1 MiB of the body held per
   * upload (the lanes share each chunk). More bought nothing in paired runs of 256 MiB PUTs (8 MiB: within noise).
   */
  static final long MAX_QUEUED = 2L * 1024 * 1024;
  /** Items a lane digests before it gives its pool thread to the next lane (fairness between uploads). */
  private static final int BATCH = 32;
  private static final ExecutorService POOL = Executors.newFixedThreadPool(
      Runtime.getRuntime().availableProcessors(), new DigestThreads());

  private final Context context;
  private final Runnable caughtUp;
  private final Lane[] lanes;
  private final AtomicLong queued = new AtomicLong();
  private final AtomicBoolean waiting = new AtomicBoolean();

  /** {@code caughtUp} runs on {@code context} after an {@link #update} returned true and the lanes caught up. */
  DigestLanes(Context context, Runnable caughtUp, MessageDigest... digests) {
    this.context = context;
    this.caughtUp = caughtUp;
    this.lanes = new Lane[digests.length];
    for (int i = 0; i < digests.length; i++) {
      lanes[i] = new Lane(digests[i]);
    }
  }

  /**
   * Queues a chunk on every lane (each reads it through its own view); true when more than {@link #MAX_QUEUED}
   * bytes wait, so the caller should pause its source until {@code caughtUp} runs.
   */
  boolean update(ByteBuffer chunk) {
    queued.addAndGet((long) chunk.remaining() * lanes.length);
    for (Lane lane : lanes) {
      lane.submit(chunk.duplicate());
    }
    if (queued.get() <= MAX_QUEUED) {
      return false;
    }
    waiting.set(true);
    // a lane may have drained between the check and the flag: then nobody would call back
    return !(queued.get() <= MAX_QUEUED / 2 && waiting.compareAndSet(true, false));
  }

  /** Completes on the context once every lane has digested all that was queued before this call. */
  Future<Void> drained() {
    Promise<Void> promise = Promise.promise();
    AtomicInteger remaining = new AtomicInteger(lanes.length);
    for (Lane lane : lanes) {
      lane.submit((Runnable) () -> {
        if (remaining.decrementAndGet() == 0) {
          context.runOnContext(v -> promise.complete());
        }
      });
    }
    return promise.future();
  }

  private void digested(int bytes) {
    if (queued.addAndGet(-bytes) <= MAX_QUEUED / 2 && waiting.compareAndSet(true, false)) {
      context.runOnContext(v -> caughtUp.run());
    }
  }

  /** One digest's queue, run by at most one pool thread at a time, in order. */
  private final class Lane implements Runnable {
    private final MessageDigest digest;
    private final Queue<Object> items = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    Lane(MessageDigest digest) {
      this.digest = digest;
    }

    void submit(Object item) {
      items.add(item);
      schedule();
    }

    private void schedule() {
      if (scheduled.compareAndSet(false, true)) {
        POOL.execute(this);
      }
    }

    @Override
    public void run() {
      Object item;
      for (int done = 0; done < BATCH && (item = items.poll()) != null; done++) {
        if (item instanceof ByteBuffer bytes) {
          int length = bytes.remaining();
          digest.update(bytes);
          digested(length);
        } else {
          ((Runnable) item).run();
        }
      }
      scheduled.set(false);
      if (!items.isEmpty()) {
        schedule();
      }
    }
  }

  private static final class DigestThreads implements java.util.concurrent.ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, "storage-digest-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }
}
