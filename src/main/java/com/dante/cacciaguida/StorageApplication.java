package com.dante.cacciaguida;

import com.dante.cacciaguida.config.ConfigLoader;
import com.dante.cacciaguida.config.StorageConfig;
import com.dante.cacciaguida.discovery.AdvertisedAddress;
import com.dante.cacciaguida.discovery.ConsulVerticle;
import com.dante.cacciaguida.health.HealthVerticle;
import com.dante.cacciaguida.http.HttpVerticle;
import com.dante.cacciaguida.metrics.StorageMetrics;
import com.dante.cacciaguida.presign.PresignSecret;
import com.dante.cacciaguida.storage.StorageVerticle;
import com.dante.cacciaguida.storage.UploadSweeper;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Starts and stops the whole service: loads the config, builds the (clustered) Vert.x instance and deploys the
 * verticles in order (storage, health, HTTP, then discovery), failing as a whole if any of them fails. Stopping
 * undeploys in reverse order, so Consul forgets the instance before the HTTP server drains.
 */
public final class StorageApplication {

  private static final Logger LOG = LoggerFactory.getLogger(StorageApplication.class);

  private final Vertx vertx;
  private final StorageConfig config;
  private final StorageMetrics metrics;
  private final Deque<String> deployments = new ArrayDeque<>();

  private StorageApplication(Vertx vertx, StorageConfig config, StorageMetrics metrics) {
    this.vertx = vertx;
    this.config = config;
    this.metrics = metrics;
  }

  /** Loads the config file (written from the defaults when missing) with {@code env} overrides, then starts. */
  public static Future<StorageApplication> start(Path configFile, Map<String, String> env) {
    ConfigLoader.writeDefaultIfMissing(configFile);
    // vertx-config needs a Vert.x instance before the real one (clustered or not) can be built from the config;
    // it is closed only once startup is over, so no continuation runs on a closed event loop
    // (and the real one is built off its event loop, from a plain thread)
    Vertx bootstrap = Vertx.vertx();
    CompletableFuture<StorageConfig> loaded = ConfigLoader.load(bootstrap, configFile, env)
        .toCompletionStage().toCompletableFuture().thenApplyAsync(config -> config);
    return Future.fromCompletionStage(loaded)
        .compose(StorageApplication::start)
        .andThen(ar -> bootstrap.close());
  }

  /** Starts the service with a loaded config. */
  public static Future<StorageApplication> start(StorageConfig loaded) {
    LogLevels.apply(loaded.logLevel());
    StorageConfig config;
    try {
      config = PresignSecret.resolve(loaded);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    LOG.info("Starting storage service instance {} (backend {}, port {})", config.instanceId(),
        config.backend().name().toLowerCase(), config.server().port());
    StorageMetrics metrics = StorageMetrics.create(config.metrics());
    return VertxFactory.create(config, new VertxOptions(), metrics)
        .onFailure(e -> metrics.close())
        .compose(vertx -> {
          metrics.install(vertx);
          StorageApplication app = new StorageApplication(vertx, config, metrics);
          return app.deployAll()
              .map(app)
              .recover(e -> vertx.close().eventually(app::closeMetrics).transform(v -> Future.failedFuture(e)));
        });
  }

  public Vertx vertx() {
    return vertx;
  }

  public StorageConfig config() {
    return config;
  }

  /** The HTTP port bound (useful with port 0), or -1 when this node runs no HTTP verticle. */
  public int httpPort() {
    return HttpVerticle.actualPort(vertx);
  }

  /** Undeploys in reverse order (discovery first, HTTP draining next), then closes Vert.x. */
  public Future<Void> stop() {
    Future<Void> chain = Future.succeededFuture();
    while (!deployments.isEmpty()) {
      String id = deployments.pop();
      chain = chain.compose(v -> vertx.undeploy(id)
          .onFailure(e -> LOG.warn("Undeploying {} failed: {}", id, e.getMessage()))
          .otherwiseEmpty());
    }
    return chain.compose(v -> vertx.close()).eventually(this::closeMetrics);
  }

  private Future<Void> closeMetrics() {
    metrics.close();
    return Future.succeededFuture();
  }

  private Future<Void> deployAll() {
    Future<Void> chain = Future.succeededFuture();
    if (config.verticles().storage()) {
      chain = chain.compose(v -> advertisedBaseUrl())
          .compose(baseUrl -> deploy("storage", () -> new StorageVerticle(config, baseUrl),
              config.verticles().storageInstances()))
          .compose(v -> deploy("upload sweeper", () -> new UploadSweeper(config), 1));
    }
    chain = chain.compose(v -> deploy("health", () -> new HealthVerticle(config), 1));
    if (config.verticles().http()) {
      chain = chain.compose(v -> deploy("http", () -> new HttpVerticle(config), config.httpInstances()))
          .onSuccess(v -> LOG.info("HTTP API listening on {}:{}", config.server().host(), httpPort()))
          .compose(v -> deploy("consul", () -> new ConsulVerticle(config, httpPort()), 1));
    }
    return chain;
  }

  /** Where this node is reached over HTTP, for presigned URLs minted over the event bus (no Host header). */
  private Future<String> advertisedBaseUrl() {
    // resolving the address walks the network interfaces: not on an event loop
    return vertx.executeBlocking(() -> "http://" + AdvertisedAddress.resolve(
        config.consul().registration().address(), config.server().host()) + ":" + config.server().port());
  }

  private Future<Void> deploy(String name, java.util.function.Supplier<io.vertx.core.Deployable> verticle,
                              int instances) {
    // the configuration goes to the constructors, not into the options: Vert.x 5's HTTP client builds a context
    // from the caller's deployment options, copying their config, for every request it sends
    DeploymentOptions options = new DeploymentOptions().setInstances(instances);
    return vertx.deployVerticle(verticle, options)
        .onSuccess(deployments::push)
        .recover(e -> Future.failedFuture(new IllegalStateException(
            "the " + name + " verticle failed to start: " + e.getMessage(), e)))
        .mapEmpty();
  }
}
