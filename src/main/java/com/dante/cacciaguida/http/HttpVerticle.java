package com.dante.cacciaguida.http;

import com.dante.cacciaguida.auth.Action;
import com.dante.cacciaguida.auth.Authenticator;
import com.dante.cacciaguida.config.StorageConfig;
import com.dante.cacciaguida.metrics.StorageMetrics;
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
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP API (API.md 4): the route table. Object bodies stream straight between the connection and the
 * backend; control operations go over the event bus to the storage verticle ({@link StorageService}).
 * Streaming routes have no request timeout (a large object takes as long as it takes); the others answer
 * {@code 503} after {@code request_timeout}. No route buffers an upload body. Every route declares its access
 * rule ({@link Authorization}); uploads must keep a minimum rate ({@link UploadWatchdog}); requests the decoder
 * refuses (too long, ambiguous length: {@link StrictRequestDecoder}) are answered as JSON by {@link Failures}.
 */
public class HttpVerticle extends VerticleBase {

  /**
   * Request lines and headers must hold a 1024-byte key percent-encoded (3072 characters), plus bucket, query
   * and a presigned URL's signature; beyond them: {@code 414} / {@code 431}.
   */
  private static final int MAX_INITIAL_LINE = 8 * 1024;
  private static final int MAX_HEADER_SIZE = 16 * 1024;
  /**
   * Request bodies reach the handlers in pieces of at most this size. Netty's default, 8 KiB, cut each 64 KiB
   * socket read into eight pieces, each copied, digested and written (a file write task each) on its own.
   */
  private static final int MAX_BODY_CHUNK = 64 * 1024;
  private static final int PRESIGN_BODY_LIMIT = 16 * 1024;
  /** Create and complete bodies are small JSON; 10000 parts named with their ETags fit easily. */
  private static final int UPLOAD_BODY_LIMIT = 2 * 1024 * 1024;
  private static final int SETTINGS_BODY_LIMIT = 256 * 1024;
  private static final List<String> KEYED_PREFIXES = List.of(ObjectHandlers.OBJECTS,
      PresignHandler.PRESIGNED_URL, BucketHandlers.BUCKETS, UploadHandlers.UPLOADS);

  private static final String LOCAL_MAP = "cacciaguida.http";
  private static final String PORT_KEY = "port";

  private final StorageConfig config;
  private HttpServer server;

  public HttpVerticle(StorageConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    Future<Authorization> authorization = config.auth().enabled()
        ? Authenticator.create(vertx, config.auth()).map(Authorization::enabled)
        : Future.succeededFuture(Authorization.disabled());
    return authorization.compose(this::listen);
  }

  private Future<HttpServer> listen(Authorization auth) {
    VersionedStorage backend = Backends.acquire(vertx, config);
    CallerStorage storage = new CallerStorage(vertx, config.eventBus().address(),
        new DeliveryOptions().setSendTimeout(config.requestTimeout().toMillis()));
    String defaultBucket = config.defaultBucket();
    ObjectHandlers objects = new ObjectHandlers(backend, storage, defaultBucket, config.server().maxUploadSize());
    ListingHandler listing = new ListingHandler(storage, backend, defaultBucket);
    BucketHandlers buckets = new BucketHandlers(storage);
    VersioningHandlers versioning = new VersioningHandlers(backend);
    PresignHandler presign = new PresignHandler(storage, defaultBucket);
    PresignedAccess presigned = new PresignedAccess(
        new PresignSigner(config.presign().secret().getBytes(StandardCharsets.UTF_8)), objects);
    UploadHandlers uploads = new UploadHandlers(Backends.multipart(vertx), backend, defaultBucket,
        StorageMetrics.of(vertx));
    HealthHandlers health = new HealthHandlers(vertx);
    TimeoutHandler timeout = TimeoutHandler.create(config.requestTimeout().toMillis(), 503);
    UploadWatchdog watchdog = new UploadWatchdog(vertx, config.server().idleTimeout(),
        config.server().minUploadRate());
    Function<RoutingContext, String> objectBucket = ctx -> objects.path(ctx).bucket();
    Function<RoutingContext, String> listedBucket = ctx -> ObjectPath.bucketOf(ctx.request().path(),
        ObjectHandlers.OBJECTS);

    Router router = Router.router(vertx);
    router.route().handler(RequestLog::handle);
    router.route().handler(this::rejectRewrittenPaths);

    auth.open(router.get("/health/live")).handler(health::live);
    auth.open(router.get("/health/ready")).handler(health::ready);
    auth.open(router.get("/health")).handler(health::health);
    String healthPath = config.consul().registration().healthCheckPath();
    if (!healthPath.equals("/health")) {
      auth.open(router.get(healthPath)).handler(health::health);
    }
    // open like /health: Prometheus scrapes without credentials
    StorageMetrics.of(vertx).prometheus().ifPresent(registry ->
        auth.open(router.get(config.metrics().path())).handler(PrometheusScrapingHandler.create(registry)));

    // vert.x orders handlers: platform ones (the timeout) before the access check
    Function<RoutingContext, String> settingsBucket = ctx -> ObjectPath.bucketOf(ctx.request().path(),
        BucketHandlers.BUCKETS);
    auth.require(router.post("/buckets/:bucket").handler(timeout), Action.ADMIN, settingsBucket)
        .handler(buckets::ensure);
    BodyHandler settingsBody = BodyHandler.create(false).setBodyLimit(SETTINGS_BODY_LIMIT);
    auth.require(router.get("/buckets/:bucket/versioning").handler(timeout), Action.ADMIN, settingsBucket)
        .handler(versioning::getVersioning);
    auth.require(router.put("/buckets/:bucket/versioning").handler(timeout).handler(settingsBody), Action.ADMIN,
        settingsBucket).handler(versioning::putVersioning);
    auth.require(router.get("/buckets/:bucket/lifecycle").handler(timeout), Action.ADMIN, settingsBucket)
        .handler(versioning::getLifecycle);
    auth.require(router.put("/buckets/:bucket/lifecycle").handler(timeout).handler(settingsBody), Action.ADMIN,
        settingsBucket).handler(versioning::putLifecycle);
    auth.require(router.delete("/buckets/:bucket/lifecycle").handler(timeout), Action.ADMIN, settingsBucket)
        .handler(versioning::deleteLifecycle);

    auth.require(router.get("/objects/list"), Action.LIST, ctx -> defaultBucket).handler(listing::listDefault);
    auth.require(router.get("/objects/:bucket/list"), Action.LIST, listedBucket).handler(listing::list);
    auth.require(router.put("/objects/*").handler(watchdog::watch).handler(presigned::handle), Action.WRITE,
        objectBucket).handler(objects::upload);
    auth.require(router.get("/objects/*").handler(presigned::handle), Action.READ, objectBucket)
        .handler(objects::download);
    auth.require(router.head("/objects/*").handler(presigned::handle), Action.READ, objectBucket)
        .handler(objects::head);
    auth.require(router.delete("/objects/*").handler(timeout), Action.DELETE, objectBucket)
        .handler(objects::delete);

    auth.require(router.get("/uploads").handler(timeout), Action.WRITE, uploads::listedBucket)
        .handler(uploads::listUploads);
    // completing assembles the whole object: it takes as long as the object is large
    auth.require(router.post("/uploads/*").handler(BodyHandler.create(false).setBodyLimit(UPLOAD_BODY_LIMIT)),
        Action.WRITE, uploads::bucket).handler(uploads::post);
    auth.require(router.put("/uploads/*").handler(watchdog::watch), Action.WRITE, uploads::bucket)
        .handler(uploads::uploadPart);
    auth.require(router.get("/uploads/*").handler(timeout), Action.WRITE, uploads::bucket)
        .handler(uploads::listParts);
    auth.require(router.delete("/uploads/*").handler(timeout), Action.WRITE, uploads::bucket)
        .handler(uploads::abort);

    auth.requirePresign(router.post("/presigned-url/*").handler(timeout)
            .handler(BodyHandler.create(false).setBodyLimit(PRESIGN_BODY_LIMIT)),
        ctx -> presign.path(ctx).bucket()).handler(presign::create);

    labelWildcardRoutes(router);

    router.route().failureHandler(Failures::handle);
    router.errorHandler(404, Failures::handle);
    router.errorHandler(405, Failures::handle);
    router.errorHandler(500, Failures::handle);
    Authorization.verifyCovered(router);

    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.server().host())
        .setPort(config.server().port())
        .setMaxInitialLineLength(MAX_INITIAL_LINE)
        .setMaxHeaderSize(MAX_HEADER_SIZE)
        .setMaxChunkSize(MAX_BODY_CHUNK)
        .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, config.server().idleTimeout().toMillis()))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setTcpNoDelay(true)
        .setCompressionSupported(false)
        .setHandle100ContinueAutomatically(false)
        // no WebSocket routes: without compression Vert.x leaves out the handler that inspects every response
        .setPerFrameWebSocketCompressionSupported(false)
        .setPerMessageWebSocketCompressionSupported(false)
        // HTTP/1.1 only: zero-copy file sending does not exist on HTTP/2 (and h2c buys nothing here)
        .setHttp2ClearTextEnabled(false);
    server = vertx.createHttpServer(options)
        .connectionHandler(connection -> StrictRequestDecoder.install(connection, options))
        .invalidRequestHandler(Failures::invalidRequest)
        .requestHandler(router);
    return server.listen()
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
   * Metrics label requests by route name, which for {@code /objects/*} would be the bare prefix {@code /objects/};
   * naming wildcard routes by their template keeps the label recognisable (it never holds the key either way).
   */
  private static void labelWildcardRoutes(Router router) {
    for (Route route : router.getRoutes()) {
      if (route.getPath() != null && !route.isExactPath()) {
        route.setName(route.getPath() + "*");
      }
    }
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
