package com.dante.cacciaguida.health;

import com.dante.cacciaguida.config.StorageConfig;
import com.dante.cacciaguida.discovery.ConsulVerticle;
import com.dante.cacciaguida.storage.StorageVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;

import java.util.List;

/**
 * Gathers the service's health by asking the verticles that know over the event bus: the storage verticle
 * (backend reachable; with {@code deep}, a write/read/delete probe) and, when enabled, the Consul verticle
 * (registration state). Only the storage check decides UP or DOWN: an instance whose Consul agent is away still
 * serves, so Consul's state is reported but does not fail the instance's own health check. Answers {@code {"status":"UP"|"DOWN","checks":[{"id","status","data"?}…]}} on
 * {@link #LOCAL_ADDRESS} for this node's HTTP verticle, on {@link #ADDRESS} for any cluster node, and on
 * {@code ADDRESS + "." + instance_id} for one node in particular.
 */
public class HealthVerticle extends VerticleBase {

  public static final String ADDRESS = "storage.health";
  public static final String LOCAL_ADDRESS = "storage.health.local";
  private static final long CHECK_TIMEOUT_MS = 3_000;

  private final StorageConfig config;
  private HealthChecks readyChecks;
  private HealthChecks deepChecks;
  private HealthChecks informational;
  private List<MessageConsumer<JsonObject>> consumers;

  public HealthVerticle(StorageConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    readyChecks = HealthChecks.create(vertx);
    deepChecks = HealthChecks.create(vertx);
    informational = HealthChecks.create(vertx);
    readyChecks.register("storage", CHECK_TIMEOUT_MS, p -> ask(StorageVerticle.HEALTH_ADDRESS, false, p));
    deepChecks.register("storage", CHECK_TIMEOUT_MS, p -> ask(StorageVerticle.HEALTH_ADDRESS, true, p));
    if (config.consul().enabled()) {
      informational.register("consul", CHECK_TIMEOUT_MS, p -> ask(ConsulVerticle.STATUS_ADDRESS, false, p));
    }
    consumers = List.of(
        vertx.eventBus().localConsumer(LOCAL_ADDRESS, this::answer),
        vertx.eventBus().consumer(ADDRESS, this::answer),
        vertx.eventBus().consumer(ADDRESS + "." + config.instanceId(), this::answer));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  /** Request body {@code {"deep":bool}}. */
  private void answer(Message<JsonObject> message) {
    boolean deep = message.body() != null && message.body().getBoolean("deep", false);
    Future<CheckResult> critical = (deep ? deepChecks : readyChecks).checkStatus();
    Future<CheckResult> info = informational.checkStatus();
    Future.join(critical, info).onComplete(done -> {
      if (critical.failed()) {
        message.reply(new JsonObject().put("status", "DOWN").put("checks", new JsonArray())
            .put("reason", critical.cause().getMessage()));
        return;
      }
      JsonArray checks = toJson(critical.result());
      if (info.succeeded()) {
        checks.addAll(toJson(info.result()));
      }
      message.reply(new JsonObject().put("status", upOrDown(critical.result())).put("checks", checks));
    });
  }

  private void ask(String address, boolean deep, Promise<Status> promise) {
    vertx.eventBus().<JsonObject>request(address, new JsonObject().put("deep", deep),
            new DeliveryOptions().setSendTimeout(CHECK_TIMEOUT_MS))
        .onSuccess(reply -> {
          JsonObject body = reply.body();
          JsonObject data = body.getJsonObject("data", new JsonObject());
          promise.complete("UP".equals(body.getString("status")) ? Status.OK(data) : Status.KO(data));
        })
        .onFailure(e -> promise.complete(Status.KO(new JsonObject().put("reason", e.getMessage()))));
  }

  private static JsonArray toJson(CheckResult result) {
    JsonArray checks = new JsonArray();
    if (result.getChecks() != null) {
      for (CheckResult check : result.getChecks()) {
        JsonObject entry = new JsonObject().put("id", check.getId()).put("status", upOrDown(check));
        JsonObject data = check.getStatus() == null ? null : check.getStatus().getData();
        if (data != null && !data.isEmpty()) {
          entry.put("data", data);
        }
        checks.add(entry);
      }
    }
    return checks;
  }

  private static String upOrDown(CheckResult result) {
    return result.getUp() ? "UP" : "DOWN";
  }
}
