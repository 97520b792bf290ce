package com.dante.cacciaguida.discovery;

import com.dante.cacciaguida.config.StorageConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.consul.ConsulClient;
import io.vertx.ext.consul.ConsulClientOptions;
import io.vertx.ext.consul.Service;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Registers this instance with the local Consul agent and keeps it registered (API.md section 6).
 *
 * <p>Consul being away never stops the service: {@link #start()} succeeds at once and registration retries in the
 * background with capped exponential backoff. Once registered, the agent's service list is read every check
 * interval; an agent that restarted empty has forgotten us, so we register again. Each change of state is logged
 * once, not each retry.
 *
 * <p>Deploy it after the HTTP server listens (the check calls that port) and undeploy it first on shutdown, so
 * Consul stops routing here before the server drains. The current state answers on {@link #STATUS_ADDRESS}.
 */
public class ConsulVerticle extends VerticleBase {

  /**
   * Node-local event-bus address answering {@code {"id":"consul","status":"UP|DOWN","data":{"state":…,
   * "serviceId":…}}}; state is {@code registered}, {@code registering}, {@code unreachable} or {@code disabled}
   * (UP when registered or disabled).
   */
  public static final String STATUS_ADDRESS = "storage.health.consul";

  static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  static final Duration MAX_RETRY = Duration.ofSeconds(30);
  static final Duration DEREGISTER_TIMEOUT = Duration.ofSeconds(3);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
  static final String TOKEN_HEADER = "X-Consul-Token";

  private static final Logger LOG = LoggerFactory.getLogger(ConsulVerticle.class);

  enum State {
    DISABLED, REGISTERING, REGISTERED, UNREACHABLE;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    boolean up() {
      return this == DISABLED || this == REGISTERED;
    }
  }

  private final StorageConfig config;
  private final int httpPort;
  private final Duration firstRetry;
  private final Duration maxRetry;

  private ConsulEndpoint endpoint;
  private ConsulClient consul;
  private WebClient web;
  private String token;
  private Duration watchInterval;
  private Duration deregisterAfter;
  private ServiceRegistration registration;

  private State state = State.DISABLED;
  private boolean everRegistered;
  private Duration nextRetry;
  private long timerId = -1;
  private boolean stopping;
  private Future<?> inFlight = Future.succeededFuture();

  /** @param httpPort the port the HTTP server actually listens on, which Consul's check calls */
  public ConsulVerticle(StorageConfig config, int httpPort) {
    this(config, httpPort, FIRST_RETRY, MAX_RETRY);
  }

  ConsulVerticle(StorageConfig config, int httpPort, Duration firstRetry, Duration maxRetry) {
    this.config = config;
    this.httpPort = httpPort;
    this.firstRetry = firstRetry;
    this.maxRetry = maxRetry;
    this.nextRetry = firstRetry;
  }

  @Override
  public Future<?> start() {
    // Local: on a clustered event bus each node's health check must hear its own registration, not a peer's.
    Future<Void> answering = vertx.eventBus().localConsumer(STATUS_ADDRESS, this::reportStatus).completion();
    StorageConfig.Consul settings = config.consul();
    if (!settings.enabled()) {
      LOG.info("Consul registration is disabled");
      return answering;
    }
    if (config.instanceId().isBlank()) {
      return Future.failedFuture(new IllegalStateException("instance_id is empty: the Consul service ID needs it"));
    }
    endpoint = ConsulEndpoint.parse(settings.address());
    ConsulClientOptions options = endpoint.clientOptions(settings.token(), REQUEST_TIMEOUT.toMillis());
    consul = ConsulClient.create(vertx, options);
    web = WebClient.create(vertx, options);
    token = settings.token();
    watchInterval = settings.registration().interval();
    deregisterAfter = settings.registration().deregisterAfter();
    String configured = settings.registration().address();
    String serverHost = config.server().host();
    return vertx.executeBlocking(() -> AdvertisedAddress.resolve(configured, serverHost))
        .compose(address -> {
          registration = ServiceRegistration.of(config, address, httpPort);
          state = State.REGISTERING;
          register();
          return answering;
        });
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    if (registration == null) {
      closeClients();
      return Future.succeededFuture();
    }
    String id = registration.id();
    // Waiting for an attempt under way keeps a late registration from landing after the deregistration.
    return inFlight.transform(ignored -> consul.deregisterService(id))
        .timeout(DEREGISTER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .onSuccess(v -> LOG.info("Deregistered service {} from Consul", id))
        .onFailure(e -> LOG.warn("Could not deregister service {} from Consul at {}:{} ({}); the agent drops it"
                + " once its check has been critical for {}", id, endpoint.host(), endpoint.port(), e.getMessage(),
            ServiceRegistration.goDuration(deregisterAfter)))
        .otherwiseEmpty()
        .eventually(() -> {
          closeClients();
          return Future.succeededFuture();
        });
  }

  private void closeClients() {
    if (consul != null) {
      consul.close();
      web.close();
    }
  }

  private void register() {
    inFlight = sendRegistration()
        .onSuccess(v -> registered())
        .onFailure(this::unreachable);
  }

  /**
   * Sent as the agent's own JSON rather than through {@link ConsulClient#registerService}: see
   * {@link ServiceRegistration} for the missing check timeout.
   */
  private Future<Void> sendRegistration() {
    HttpRequest<Buffer> request = web.put("/v1/agent/service/register").timeout(REQUEST_TIMEOUT.toMillis());
    if (token != null && !token.isBlank()) {
      request.putHeader(TOKEN_HEADER, token);
    }
    return request.sendJsonObject(registration.body()).compose(this::accepted);
  }

  private Future<Void> accepted(HttpResponse<Buffer> response) {
    if (response.statusCode() == 200) {
      return Future.succeededFuture();
    }
    return Future.failedFuture("agent answered " + response.statusCode() + " " + response.bodyAsString());
  }

  private void registered() {
    if (stopping) {
      return;
    }
    if (state != State.REGISTERED) {
      JsonObject body = registration.body();
      LOG.info("{} service {} ({} at {}:{}) with Consul at {}:{}", everRegistered ? "Re-registered" : "Registered",
          registration.id(), body.getString("Name"), body.getString("Address"), body.getInteger("Port"),
          endpoint.host(), endpoint.port());
    }
    state = State.REGISTERED;
    everRegistered = true;
    nextRetry = firstRetry;
    schedule(watchInterval, this::watch);
  }

  private void unreachable(Throwable cause) {
    if (stopping) {
      return;
    }
    if (state != State.UNREACHABLE) {
      LOG.warn("Consul agent at {}:{} unreachable or refusing service {} ({}); retrying with backoff up to {}",
          endpoint.host(), endpoint.port(), registration.id(), cause.getMessage(),
          ServiceRegistration.goDuration(maxRetry));
    } else {
      LOG.debug("Consul registration of {} failed again: {}", registration.id(), cause.getMessage());
    }
    state = State.UNREACHABLE;
    schedule(nextRetry, this::register);
    nextRetry = nextRetry.multipliedBy(2).compareTo(maxRetry) > 0 ? maxRetry : nextRetry.multipliedBy(2);
  }

  /** The agent keeps services only in memory (unless persisted): after its restart it no longer knows us. */
  private void watch() {
    inFlight = consul.localServices()
        .onSuccess(this::checkStillKnown)
        .onFailure(this::unreachable);
  }

  private void checkStillKnown(List<Service> services) {
    if (stopping) {
      return;
    }
    boolean known = services.stream().anyMatch(s -> registration.id().equals(s.getId()));
    if (known) {
      schedule(watchInterval, this::watch);
      return;
    }
    LOG.warn("Consul agent at {}:{} lost service {} (agent restarted?); registering again", endpoint.host(),
        endpoint.port(), registration.id());
    state = State.REGISTERING;
    register();
  }

  private void schedule(Duration delay, Runnable action) {
    timerId = vertx.setTimer(Math.max(1, delay.toMillis()), id -> {
      timerId = -1;
      if (!stopping) {
        action.run();
      }
    });
  }

  private void reportStatus(Message<Object> request) {
    JsonObject data = new JsonObject()
        .put("state", state.label())
        .put("serviceId", registration == null ? null : registration.id());
    request.reply(new JsonObject()
        .put("id", "consul")
        .put("status", state.up() ? "UP" : "DOWN")
        .put("data", data));
  }
}
