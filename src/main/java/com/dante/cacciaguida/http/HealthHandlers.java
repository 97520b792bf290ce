package com.dante.cacciaguida.http;

import com.dante.cacciaguida.health.HealthVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /health} (and the configured health path): the health verticle's verdict, {@code 200} when UP,
 * {@code 503} when DOWN; {@code ?deep=true} adds a write/read/delete probe of the backend.
 * {@code /health/live} says only that the process serves HTTP (for liveness probes: restarting does not help a
 * backend that is down); {@code /health/ready} is the shallow check (for readiness: route no traffic here while
 * the backend is down).
 */
public class HealthHandlers {

  private static final long TIMEOUT_MS = 5_000;

  private final Vertx vertx;

  public HealthHandlers(Vertx vertx) {
    this.vertx = vertx;
  }

  public void health(RoutingContext ctx) {
    check(ctx, "true".equals(ctx.request().getParam("deep")));
  }

  public void ready(RoutingContext ctx) {
    check(ctx, false);
  }

  public void live(RoutingContext ctx) {
    Json.send(ctx, 200, new JsonObject().put("status", "UP"));
  }

  private void check(RoutingContext ctx, boolean deep) {
    vertx.eventBus().<JsonObject>request(HealthVerticle.LOCAL_ADDRESS, new JsonObject().put("deep", deep),
            new DeliveryOptions().setSendTimeout(TIMEOUT_MS))
        .onSuccess(reply -> {
          JsonObject body = reply.body();
          Json.send(ctx, "UP".equals(body.getString("status")) ? 200 : 503, body);
        })
        .onFailure(e -> Json.send(ctx, 503, new JsonObject().put("status", "DOWN")
            .put("reason", "health checks did not answer: " + e.getMessage())));
  }
}
