package com.dante.cacciaguida.discovery;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Asks again every 50 ms until an answer satisfies the condition; fails with the last answer at the deadline. */
final class Poll {

  private Poll() {
  }

  static <T> Future<T> until(Vertx vertx, Supplier<Future<T>> probe, Predicate<T> done, Duration within) {
    Promise<T> promise = Promise.promise();
    attempt(vertx, probe, done, System.nanoTime() + within.toNanos(), promise);
    return promise.future();
  }

  private static <T> void attempt(Vertx vertx, Supplier<Future<T>> probe, Predicate<T> done, long deadline,
                                  Promise<T> promise) {
    probe.get().onComplete(ar -> {
      if (ar.succeeded() && done.test(ar.result())) {
        promise.complete(ar.result());
      } else if (System.nanoTime() > deadline) {
        promise.fail(new AssertionError("condition not met in time; last answer: "
            + (ar.succeeded() ? ar.result() : ar.cause())));
      } else {
        vertx.setTimer(50, t -> attempt(vertx, probe, done, deadline, promise));
      }
    });
  }
}
