package com.dante.cacciaguida.discovery;

import com.dante.cacciaguida.config.ConfigLoader;
import com.dante.cacciaguida.config.StorageConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class ConsulVerticleTest {

  static final String INSTANCE = "test-1";
  static final String SERVICE_ID = "storage-" + INSTANCE;
  static final Duration WITHIN = Duration.ofSeconds(10);

  @Test
  @DisplayName("registers ID, name, tags, advertised address, HTTP port, meta and an HTTP check with the agent")
  void registersServiceDefinition(Vertx vertx, VertxTestContext ctx) {
    ConsulAgentDouble agent = new ConsulAgentDouble(vertx);
    agent.start(0)
        .compose(agentPort -> deploy(vertx, config(agentPort, c -> { }), 8082))
        .compose(id -> Poll.until(vertx, () -> Future.succeededFuture(agent.registrations()), r -> !r.isEmpty(),
            WITHIN))
        .onComplete(ctx.succeeding(registrations -> ctx.verify(() -> {
          JsonObject body = registrations.get(0);
          assertEquals(SERVICE_ID, body.getString("ID"));
          assertEquals("storage-service", body.getString("Name"));
          assertEquals(new JsonArray().add("storage"), body.getJsonArray("Tags"));
          assertEquals("127.0.0.1", body.getString("Address"));
          assertEquals(8082, body.getInteger("Port"));
          assertEquals(new JsonObject().put("version", "dev").put("backend", "filesystem").put("instance", INSTANCE),
              body.getJsonObject("Meta"));
          JsonObject check = body.getJsonObject("Check");
          assertEquals("http://127.0.0.1:8082/health", check.getString("HTTP"));
          assertEquals("200ms", check.getString("Interval"));
          assertEquals("1s", check.getString("Timeout"));
          assertEquals("1m", check.getString("DeregisterCriticalServiceAfter"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("the agent's HTTP check on the health path passes while the service answers 200, and the status"
      + " address reports registered")
  void checkPasses(Vertx vertx, VertxTestContext ctx) {
    ConsulAgentDouble agent = new ConsulAgentDouble(vertx);
    AtomicInteger healthCalls = new AtomicInteger();
    WebClient client = WebClient.create(vertx);
    standIn(vertx, 200, healthCalls)
        .compose(service -> agent.start(0)
            .compose(agentPort -> deploy(vertx, config(agentPort, c -> { }), service.actualPort())))
        .compose(id -> Poll.until(vertx, () -> checks(client, agent),
            checks -> "passing".equals(status(checks)), WITHIN))
        .compose(checks -> vertx.eventBus().<JsonObject>request(ConsulVerticle.STATUS_ADDRESS, null)
            .map(reply -> new JsonArray().add(checks).add(reply.body())))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          JsonObject check = both.getJsonObject(0).getJsonObject("service:" + SERVICE_ID);
          assertEquals(SERVICE_ID, check.getString("ServiceID"));
          assertTrue(healthCalls.get() > 0, "the agent called the health path");
          assertEquals(new JsonObject().put("id", "consul").put("status", "UP")
              .put("data", new JsonObject().put("state", "registered").put("serviceId", SERVICE_ID)),
              both.getJsonObject(1));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("the agent's check goes critical when the health path answers 503")
  void checkCriticalWhenUnhealthy(Vertx vertx, VertxTestContext ctx) {
    ConsulAgentDouble agent = new ConsulAgentDouble(vertx);
    AtomicInteger healthCalls = new AtomicInteger();
    WebClient client = WebClient.create(vertx);
    standIn(vertx, 503, healthCalls)
        .compose(service -> agent.start(0)
            .compose(agentPort -> deploy(vertx, config(agentPort, c -> { }), service.actualPort())))
        .compose(id -> Poll.until(vertx, () -> checks(client, agent), checks -> healthCalls.get() >= 2, WITHIN))
        .onComplete(ctx.succeeding(checks -> ctx.verify(() -> {
          assertEquals("critical", status(checks));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("undeploying deregisters the service from the agent")
  void deregistersOnUndeploy(Vertx vertx, VertxTestContext ctx) {
    ConsulAgentDouble agent = new ConsulAgentDouble(vertx);
    WebClient client = WebClient.create(vertx);
    agent.start(0)
        .compose(agentPort -> deploy(vertx, config(agentPort, c -> { }), 8082))
        .compose(id -> Poll.until(vertx, () -> Future.succeededFuture(agent.serviceIds()),
                ids -> ids.contains(SERVICE_ID), WITHIN)
            .compose(ids -> vertx.undeploy(id)))
        .compose(v -> client.get(agent.port(), "127.0.0.1", "/v1/agent/services").send())
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertEquals(new JsonObject(), response.bodyAsJsonObject());
          assertEquals(SERVICE_ID, agent.registrations().get(0).getString("ID"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("starts while the agent is down, reports unreachable, and registers once the agent comes up")
  void retriesUntilAgentStarts(Vertx vertx, VertxTestContext ctx) {
    ConsulAgentDouble probe = new ConsulAgentDouble(vertx);
    ConsulAgentDouble agent = new ConsulAgentDouble(vertx);
    probe.start(0)
        .compose(freePort -> probe.stop().map(freePort))
        .compose(agentPort -> deploy(vertx, config(agentPort, c -> { }), 8082)
            .compose(id -> Poll.until(vertx, () -> consulStatus(vertx),
                s -> "unreachable".equals(s.getJsonObject("data").getString("state")), WITHIN))
            .compose(down -> {
              ctx.verify(() -> assertEquals("DOWN", down.getString("status")));
              return agent.start(agentPort);
            }))
        .compose(port -> Poll.until(vertx, () -> consulStatus(vertx),
            s -> "registered".equals(s.getJsonObject("data").getString("state")), WITHIN))
        .onComplete(ctx.succeeding(up -> ctx.verify(() -> {
          assertEquals("UP", up.getString("status"));
          assertTrue(agent.serviceIds().contains(SERVICE_ID));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("registers again when the agent restarts and has forgotten the service")
  void reRegistersAfterAgentRestart(Vertx vertx, VertxTestContext ctx) {
    ConsulAgentDouble agent = new ConsulAgentDouble(vertx);
    agent.start(0)
        .compose(agentPort -> deploy(vertx, config(agentPort, c -> { }), 8082)
            .compose(id -> Poll.until(vertx, () -> Future.succeededFuture(agent.serviceIds()),
                ids -> ids.contains(SERVICE_ID), WITHIN))
            .compose(ids -> agent.stop())
            .compose(v -> agent.start(agentPort)))
        .compose(port -> Poll.until(vertx, () -> Future.succeededFuture(agent.serviceIds()),
            ids -> ids.contains(SERVICE_ID), WITHIN))
        .onComplete(ctx.succeeding(ids -> ctx.verify(() -> {
          assertEquals(2, agent.registrations().size(), "registered once, then once more after the restart");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("sends the configured ACL token with every request to the agent")
  void sendsToken(Vertx vertx, VertxTestContext ctx) {
    ConsulAgentDouble agent = new ConsulAgentDouble(vertx, "s3cret-token");
    agent.start(0)
        .compose(agentPort -> deploy(vertx, config(agentPort, c -> c.getJsonObject("consul")
            .put("token", "s3cret-token")), 8082))
        .compose(id -> Poll.until(vertx, () -> Future.succeededFuture(agent.tokensSeen()),
            tokens -> tokens.size() >= 2, WITHIN))
        .onComplete(ctx.succeeding(tokens -> ctx.verify(() -> {
          assertTrue(tokens.stream().allMatch("s3cret-token"::equals), tokens::toString);
          assertTrue(agent.serviceIds().contains(SERVICE_ID));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("an agent refusing the token leaves the service unregistered and reported DOWN")
  void refusedTokenIsUnreachable(Vertx vertx, VertxTestContext ctx) {
    ConsulAgentDouble agent = new ConsulAgentDouble(vertx, "s3cret-token");
    agent.start(0)
        .compose(agentPort -> deploy(vertx, config(agentPort, c -> c.getJsonObject("consul")
            .put("token", "wrong")), 8082))
        .compose(id -> Poll.until(vertx, () -> consulStatus(vertx),
            s -> "unreachable".equals(s.getJsonObject("data").getString("state")), WITHIN))
        .onComplete(ctx.succeeding(status -> ctx.verify(() -> {
          assertEquals("DOWN", status.getString("status"));
          assertTrue(agent.serviceIds().isEmpty());
          assertTrue(agent.tokensSeen().stream().allMatch("wrong"::equals));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("with consul.enabled false nothing is sent and the status is disabled, UP")
  void disabled(Vertx vertx, VertxTestContext ctx) {
    ConsulAgentDouble agent = new ConsulAgentDouble(vertx);
    agent.start(0)
        .compose(agentPort -> deploy(vertx, config(agentPort, c -> c.getJsonObject("consul").put("enabled", false)),
            8082))
        .compose(id -> consulStatus(vertx))
        .onComplete(ctx.succeeding(status -> ctx.verify(() -> {
          assertEquals("UP", status.getString("status"));
          assertEquals("disabled", status.getJsonObject("data").getString("state"));
          assertTrue(agent.tokensSeen().isEmpty(), "no request reached the agent");
          ctx.completeNow();
        })));
  }

  /** The full config tree with Consul on, pointing at the double, with intervals short enough for a test. */
  static JsonObject config(int agentPort, Consumer<JsonObject> tweak) {
    JsonObject config = ConfigLoader.defaults().put("instance_id", INSTANCE);
    JsonObject consul = config.getJsonObject("consul")
        .put("enabled", true)
        .put("address", "127.0.0.1:" + agentPort);
    consul.getJsonObject("registration")
        .put("address", "127.0.0.1")
        .put("interval", "200ms")
        .put("timeout", "1s")
        .put("deregisterAfter", "1m");
    tweak.accept(config);
    return config;
  }

  static Future<String> deploy(Vertx vertx, JsonObject config, int httpPort) {
    return vertx.deployVerticle(new ConsulVerticle(StorageConfig.from(config), httpPort, Duration.ofMillis(100),
        Duration.ofMillis(400)));
  }

  static Future<JsonObject> consulStatus(Vertx vertx) {
    return vertx.eventBus().<JsonObject>request(ConsulVerticle.STATUS_ADDRESS, null).map(m -> m.body());
  }

  /** The service's stand-in: answers the health path with the given status. */
  private static Future<HttpServer> standIn(Vertx vertx, int status, AtomicInteger calls) {
    return vertx.createHttpServer()
        .requestHandler(request -> {
          if (request.path().equals("/health")) {
            calls.incrementAndGet();
            request.response().setStatusCode(status).end();
          } else {
            request.response().setStatusCode(404).end();
          }
        })
        .listen(0, "127.0.0.1");
  }

  private static Future<JsonObject> checks(WebClient client, ConsulAgentDouble agent) {
    return client.get(agent.port(), "127.0.0.1", "/v1/agent/checks").send().map(r -> r.bodyAsJsonObject());
  }

  private static String status(JsonObject checks) {
    JsonObject check = checks.getJsonObject("service:" + SERVICE_ID);
    return check == null ? null : check.getString("Status");
  }
}
