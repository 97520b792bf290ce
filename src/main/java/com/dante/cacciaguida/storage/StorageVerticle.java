package com.dante.cacciaguida.storage;

import com.dante.cacciaguida.auth.Authenticator;
import com.dante.cacciaguida.auth.BusAuthorization;
import com.dante.cacciaguida.config.StorageConfig;
import com.dante.cacciaguida.storage.versioning.LifecycleSweeper;
import com.dante.cacciaguida.storage.versioning.VersionedStorage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the backend and serves the {@link StorageService} contract on the event bus (control operations and
 * small inline objects), plus the backend's health check for the health verticle, and runs this instance's
 * lifecycle sweeper. With {@code auth.enabled}, every call must carry credentials granting it
 * ({@link BusAuthorization}); without, the cluster is trusted.
 */
public class StorageVerticle extends VerticleBase {

  /** Health of the backend: request {@code {"deep":bool}}, reply {@code {"id","status","data"}}. */
  public static final String HEALTH_ADDRESS = "storage.health.backend";

  private static final Logger LOG = LoggerFactory.getLogger(StorageVerticle.class);

  private final StorageConfig config;
  private final String baseUrl;
  private VersionedStorage backend;
  private LifecycleSweeper sweeper;
  private MessageConsumer<JsonObject> service;
  private MessageConsumer<JsonObject> health;

  /** @param baseUrl where this service is reached over HTTP, for presigned URLs asked for over the bus */
  public StorageVerticle(StorageConfig config, String baseUrl) {
    this.config = config;
    this.baseUrl = baseUrl;
  }

  @Override
  public Future<?> start() {
    backend = Backends.acquire(vertx, config);
    StorageService impl = new StorageServiceImpl(vertx, backend, config.defaultBucket(),
        config.eventBus().maxInlineSize(), config.presign().maxExpiry(), baseUrl);
    Future<ServiceBinder> binder = Future.succeededFuture(new ServiceBinder(vertx)
        .setAddress(config.eventBus().address())
        .addInterceptor(new ActionGuard()));
    if (config.auth().enabled()) {
      binder = binder.compose(b -> Authenticator.create(vertx, config.auth())
          .map(authenticator -> b.addInterceptor(new BusAuthorization(authenticator, config.defaultBucket()))));
    }
    return binder.compose(b -> {
      service = b.register(StorageService.class, impl);
      health = vertx.eventBus().consumer(HEALTH_ADDRESS, this::checkHealth);
      return ready(config);
    });
  }

  private Future<?> ready(StorageConfig config) {
    Future<Void> ready = Backends.started(vertx);
    if (config.minio().autoCreateDefaultBucket()) {
      ready = ready.compose(v -> backend.ensureBucket(config.defaultBucket())
          .onFailure(e -> LOG.warn("Default bucket {} not ensured: {}", config.defaultBucket(), e.getMessage()))
          .otherwiseEmpty());
    }
    sweeper = new LifecycleSweeper(vertx, backend, config.lifecycleSweepInterval(), config.instanceId());
    sweeper.start();
    return ready.compose(v -> service.completion()).compose(v -> health.completion());
  }

  @Override
  public Future<?> stop() {
    if (sweeper != null) {
      sweeper.stop();
    }
    return Future.join(service.unregister(), health.unregister())
        .eventually(() -> Backends.release(vertx));
  }

  private void checkHealth(Message<JsonObject> message) {
    boolean deep = message.body() != null && message.body().getBoolean("deep", false);
    backend.check(deep)
        .onSuccess(v -> message.reply(new JsonObject().put("id", "storage").put("status", "UP")))
        .onFailure(e -> message.reply(new JsonObject().put("id", "storage").put("status", "DOWN")
            .put("data", new JsonObject().put("reason", e.getMessage()))));
  }
}
