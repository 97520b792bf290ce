package com.dante.cacciaguida.http;

import com.dante.cacciaguida.config.StorageConfig;
import com.dante.cacciaguida.presign.PresignSigner;
import com.dante.cacciaguida.storage.Backends;
import com.dante.cacciaguida.storage.StorageError;
import com.dante.cacciaguida.storage.StorageService;
import com.dante.cacciaguida.storage.versioning.VersionedStorage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.TimeoutHandler;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP API (API.md 4): the route table. Object bodies stream straight between the connection and the
 * backend; control operations go over the event bus to the storage verticle ({@link StorageService}).
 * Streaming routes have no request timeout (a large object takes as long as it takes); the others answer
 * {@code 503} after {@code request_timeout}. No route buffers an upload body.
 */
public class HttpVerticle extends VerticleBase {

  /** Request lines and headers must hold a 1024-byte key percent-encoded three times over, plus the rest. */
  private static final int MAX_INITIAL_LINE = 8 * 1024;
  private static final int MAX_HEADER_SIZE = 16 * 1024;
  private static final int PRESIGN_BODY_LIMIT = 16 * 1024;
  private static final int SETTINGS_BODY_LIMIT = 256 * 1024;
  private static final List<String> KEYED_PREFIXES = List.of(ObjectHandlers.OBJECTS,
      PresignHandler.PRESIGNED_URL, BucketHandlers.BUCKETS);

  private static final String LOCAL_MAP = "cacciaguida.http";
  private static final String PORT_KEY = "port";

  private HttpServer server;
  private StorageConfig config;

  @Override
  public Future<?> start() {
    config = StorageConfig.from(config());
    VersionedStorage backend = Backends.acquire(vertx, config);
    StorageService storage = StorageService.createProxy(vertx, config.eventBus().address(),
        new DeliveryOptions().setSendTimeout(config.requestTimeout().toMillis()));
    String defaultBucket = config.defaultBucket();
    ObjectHandlers objects = new ObjectHandlers(backend, storage, defaultBucket, config.server().maxUploadSize());
    ListingHandler listing = new ListingHandler(storage, backend, defaultBucket);
    BucketHandlers buckets = new BucketHandlers(storage);
    VersioningHandlers versioning = new VersioningHandlers(backend);
    PresignHandler presign = new PresignHandler(storage, defaultBucket);
    PresignedAccess presigned = new PresignedAccess(
        new PresignSigner(config.presign().secret().getBytes(StandardCharsets.UTF_8)), objects);
    HealthHandlers health = new HealthHandlers(vertx);
    TimeoutHandler timeout = TimeoutHandler.create(config.requestTimeout().toMillis(), 503);

    Router router = Router.router(vertx);
    router.route().handler(RequestLog::handle);
    router.route().handler(this::rejectRewrittenPaths);

    router.get("/health/live").handler(health::live);
    router.get("/health/ready").handler(health::ready);
    router.get("/health").handler(health::health);
    String healthPath = config.consul().registration().healthCheckPath();
    if (!healthPath.equals("/health")) {
      router.get(healthPath).handler(health::health);
    }

    router.post("/buckets/:bucket").handler(timeout).handler(buckets::ensure);
    BodyHandler settingsBody = BodyHandler.create(false).setBodyLimit(SETTINGS_BODY_LIMIT);
    router.get("/buckets/:bucket/versioning").handler(timeout).handler(versioning::getVersioning);
    router.put("/buckets/:bucket/versioning").handler(timeout).handler(settingsBody)
        .handler(versioning::putVersioning);
    router.get("/buckets/:bucket/lifecycle").handler(timeout).handler(versioning::getLifecycle);
    router.put("/buckets/:bucket/lifecycle").handler(timeout).handler(settingsBody)
        .handler(versioning::putLifecycle);
    router.delete("/buckets/:bucket/lifecycle").handler(timeout).handler(versioning::deleteLifecycle);

    router.get("/objects/list").handler(listing::listDefault);
    router.get("/objects/:bucket/list").handler(listing::list);
    router.put("/objects/*").handler(presigned::handle).handler(objects::upload);
    router.get("/objects/*").handler(presigned::handle).handler(objects::download);
    router.head("/objects/*").handler(presigned::handle).handler(objects::head);
    router.delete("/objects/*").handler(timeout).handler(objects::delete);

    router.post("/presigned-url/*").handler(timeout)
        .handler(BodyHandler.create(false).setBodyLimit(PRESIGN_BODY_LIMIT))
        .handler(presign::create);

    router.route().failureHandler(Failures::handle);
    router.errorHandler(404, Failures::handle);
    router.errorHandler(405, Failures::handle);
    router.errorHandler(500, Failures::handle);

    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(config.server().host())
        .setPort(config.server().port())
        .setMaxInitialLineLength(MAX_INITIAL_LINE)
        .setMaxHeaderSize(MAX_HEADER_SIZE)
        .setIdleTimeout((int) Math.max(1, config.requestTimeout().toSeconds() * 2))
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setTcpNoDelay(true)
        .setCompressionSupported(false)
        .setHandle100ContinueAutomatically(false)
        // HTTP/1.1 only: zero-copy file sending does not exist on HTTP/2 (and h2c buys nothing here)
        .setHttp2ClearTextEnabled(false));
    return server.requestHandler(router).listen()
        .onSuccess(s -> vertx.sharedData().getLocalMap(LOCAL_MAP).put(PORT_KEY, s.actualPort()));
  }

  /** The port actually bound (the configured one, or the one chosen for port 0), once an instance listens. */
  public static int actualPort(io.vertx.core.Vertx vertx) {
    Object port = vertx.sharedData().getLocalMap(LOCAL_MAP).get(PORT_KEY);
    return port == null ? -1 : (Integer) port;
  }

  /** Stops accepting, lets in-flight requests finish within {@code server.shutdownGrace}. */
  @Override
  public Future<?> stop() {
    return server.shutdown(config.server().shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)
        .eventually(() -> Backends.release(vertx));
  }

  /**
   * A raw path under a keyed route that normalises to somewhere else ({@code /objects/../health}) hides a
   * {@code ..} segment: refuse it rather than let it reach another route.
   */
  private void rejectRewrittenPaths(RoutingContext ctx) {
    String raw = ctx.request().path();
    String normalized;
    try {
      normalized = ctx.normalizedPath();
    } catch (IllegalArgumentException malformed) {
      Failures.send(ctx, StorageError.InvalidObjectKey.exception("Malformed percent-encoding in the path"));
      return;
    }
    for (String prefix : KEYED_PREFIXES) {
      if (raw.startsWith(prefix) && !normalized.startsWith(prefix)) {
        Failures.send(ctx, StorageError.InvalidObjectKey.exception("The object key has a . or .. segment"));
        return;
      }
    }
    ctx.next();
  }
}
