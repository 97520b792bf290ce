package com.dante.cacciaguida.discovery;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Consul agent on a loopback port that speaks the part of the agent HTTP API the service uses: service
 * register and deregister, the agent's service and check lists, the catalog's view of one service, and ACL tokens
 * ({@code X-Consul-Token}, {@code ?token=}, {@code Authorization: Bearer}).
 *
 * <p>Like the agent it runs each registered HTTP check on its interval with its timeout: 2xx is
 * {@code passing}, 429 {@code warning}, anything else or no answer {@code critical} (the initial status), and a
 * service whose check stays critical for {@code DeregisterCriticalServiceAfter} is removed. Registration bodies
 * are validated field by field (names in the agent's PascalCase, types, Go duration strings, a required
 * {@code Name}); an unknown field is refused too, so that a misspelt field fails a test instead of silently
 * dropping a setting. Refusals are {@code 400} with a plain-text reason, as the agent answers.
 *
 * <p>{@link #stop()} forgets everything, as an agent restarted without persisted state does; {@link #start(int)}
 * on the same port brings it back empty.
 */
public final class ConsulAgentDouble {

  static final String NODE = "double-node";
  static final String DATACENTER = "dc1";

  private static final Set<String> SERVICE_FIELDS = Set.of("Kind", "ID", "Name", "Tags", "Port", "Address",
      "SocketPath", "TaggedAddresses", "EnableTagOverride", "Meta", "Weights", "Check", "Checks", "Proxy",
      "Connect", "Namespace", "Partition", "Locality");
  private static final Set<String> CHECK_FIELDS = Set.of("CheckID", "ID", "Name", "Args", "ScriptArgs",
      "DockerContainerID", "Shell", "Interval", "Timeout", "TTL", "HTTP", "Header", "Method", "Body", "TCP",
      "TCPUseTLS", "UDP", "Status", "Notes", "Output", "TLSServerName", "TLSSkipVerify", "GRPC", "GRPCUseTLS",
      "H2PING", "H2PingUseTLS", "AliasNode", "AliasService", "SuccessBeforePassing", "FailuresBeforeWarning",
      "FailuresBeforeCritical", "DeregisterCriticalServiceAfter", "OSService", "ServiceID");
  private static final Set<String> STRING_FIELDS = Set.of("Kind", "ID", "Name", "Address", "SocketPath",
      "Namespace", "Partition", "CheckID", "DockerContainerID", "Shell", "HTTP", "Method", "Body", "TCP", "UDP",
      "Status", "Notes", "Output", "TLSServerName", "GRPC", "H2PING", "AliasNode", "AliasService", "OSService",
      "ServiceID", "Interval", "Timeout", "TTL", "DeregisterCriticalServiceAfter");
  private static final Set<String> DURATION_FIELDS = Set.of("Interval", "Timeout", "TTL",
      "DeregisterCriticalServiceAfter");
  private static final Set<String> BOOLEAN_FIELDS = Set.of("EnableTagOverride", "TCPUseTLS", "TLSSkipVerify",
      "GRPCUseTLS", "H2PingUseTLS");
  private static final Set<String> INTEGER_FIELDS = Set.of("Port", "SuccessBeforePassing",
      "FailuresBeforeWarning", "FailuresBeforeCritical");
  private static final Set<String> OBJECT_FIELDS = Set.of("TaggedAddresses", "Weights", "Proxy", "Connect",
      "Locality", "Meta", "Check", "Header");
  private static final Set<String> ARRAY_FIELDS = Set.of("Tags", "Checks", "Args", "ScriptArgs");
  private static final Pattern GO_DURATION = Pattern.compile("([0-9]+(?:\\.[0-9]*)?)(ns|us|µs|ms|s|m|h)");

  private final Vertx vertx;
  private final String aclToken;
  private final Map<String, JsonObject> services = new ConcurrentHashMap<>();
  private final Map<String, CheckRun> checks = new ConcurrentHashMap<>();
  private final List<JsonObject> registrations = new CopyOnWriteArrayList<>();
  private final List<String> tokensSeen = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> healthAtDeregistration = new ConcurrentHashMap<>();
  private WebClient checker;
  private HttpServer server;

  /** An agent with ACLs off. */
  public ConsulAgentDouble(Vertx vertx) {
    this(vertx, null);
  }

  /** @param aclToken the one token the agent accepts; {@code null} turns ACLs off */
  ConsulAgentDouble(Vertx vertx, String aclToken) {
    this.vertx = vertx;
    this.aclToken = aclToken;
  }

  /** Listens on 127.0.0.1 at {@code port} (0: a free one) and answers the port. */
  public Future<Integer> start(int port) {
    checker = WebClient.create(vertx);
    Router router = Router.router(vertx);
    router.route().handler(this::authorize);
    router.put("/v1/agent/service/register").handler(BodyHandler.create()).handler(this::register);
    router.put("/v1/agent/service/deregister/:id").handler(this::deregister);
    router.get("/v1/agent/services").handler(this::agentServices);
    router.get("/v1/agent/checks").handler(this::agentChecks);
    router.get("/v1/catalog/service/:name").handler(this::catalogService);
    return vertx.createHttpServer()
        .requestHandler(router)
        .listen(port, "127.0.0.1")
        .map(s -> {
          server = s;
          return s.actualPort();
        });
  }

  /** Stops listening and forgets every service and check, as an agent restarted without its data dir. */
  public Future<Void> stop() {
    checks.values().forEach(run -> vertx.cancelTimer(run.timerId));
    checks.clear();
    services.clear();
    checker.close();
    return server.close();
  }

  int port() {
    return server.actualPort();
  }

  /** Every registration body the agent accepted, in order. */
  public List<JsonObject> registrations() {
    return List.copyOf(registrations);
  }

  public Set<String> serviceIds() {
    return Set.copyOf(services.keySet());
  }

  /** Per deregistered service: the HTTP status its check URL answered at that moment (-1: no answer). */
  Map<String, Integer> healthAtDeregistration() {
    return Map.copyOf(healthAtDeregistration);
  }

  /** The status of the service's check: passing, warning or critical (null when not registered). */
  public String checkStatus(String serviceId) {
    CheckRun run = checks.get(serviceId);
    return run == null ? null : run.status;
  }

  /** The {@code X-Consul-Token} (or equivalent) of each request, {@code ""} when none was sent. */
  List<String> tokensSeen() {
    return List.copyOf(tokensSeen);
  }

  private void authorize(RoutingContext ctx) {
    String token = token(ctx);
    tokensSeen.add(token);
    if (aclToken == null) {
      ctx.next();
    } else if (token.isEmpty()) {
      refuse(ctx, 403, "Permission denied: anonymous token lacks permission");
    } else if (!token.equals(aclToken)) {
      refuse(ctx, 403, "ACL not found");
    } else {
      ctx.next();
    }
  }

  private static String token(RoutingContext ctx) {
    String query = ctx.request().getParam("token");
    if (query != null && !query.isEmpty()) {
      return query;
    }
    String header = ctx.request().getHeader("X-Consul-Token");
    if (header != null && !header.isEmpty()) {
      return header;
    }
    String authorization = ctx.request().getHeader("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    return "";
  }

  private void register(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      refuse(ctx, 400, "Request decode failed: " + e.getMessage());
      return;
    }
    if (body == null) {
      refuse(ctx, 400, "Request decode failed: EOF");
      return;
    }
    String problem = validateService(body);
    if (problem != null) {
      refuse(ctx, 400, problem);
      return;
    }
    String id = body.getString("ID") == null || body.getString("ID").isEmpty()
        ? body.getString("Name") : body.getString("ID");
    JsonObject stored = body.copy().put("ID", id);
    registrations.add(stored);
    services.put(id, stored);
    CheckRun old = checks.remove(id);
    if (old != null) {
      vertx.cancelTimer(old.timerId);
    }
    JsonObject check = body.getJsonObject("Check");
    if (check != null && check.getString("HTTP") != null) {
      startCheck(id, stored, check);
    }
    ctx.response().setStatusCode(200).end();
  }

  private void deregister(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (services.remove(id) == null) {
      refuse(ctx, 404, "Unknown service ID \"" + id + "\". Ensure that the service ID is passed, not the service"
          + " name.");
      return;
    }
    CheckRun run = checks.remove(id);
    if (run == null) {
      ctx.response().setStatusCode(200).end();
      return;
    }
    vertx.cancelTimer(run.timerId);
    // one last probe shows whether the instance was still serving when it left the catalog
    checker.getAbs(run.url).timeout(2000).send()
        .onComplete(ar -> {
          healthAtDeregistration.put(id, ar.succeeded() ? ar.result().statusCode() : -1);
          ctx.response().setStatusCode(200).end();
        });
  }

  private void agentServices(RoutingContext ctx) {
    JsonObject out = new JsonObject();
    services.forEach((id, s) -> out.put(id, new JsonObject()
        .put("ID", id)
        .put("Service", s.getString("Name"))
        .put("Tags", s.getJsonArray("Tags", new JsonArray()))
        .put("Meta", s.getJsonObject("Meta", new JsonObject()))
        .put("Port", s.getInteger("Port", 0))
        .put("Address", s.getString("Address", ""))
        .put("Weights", new JsonObject().put("Passing", 1).put("Warning", 1))
        .put("EnableTagOverride", s.getBoolean("EnableTagOverride", false))
        .put("Datacenter", DATACENTER)));
    json(ctx, out.encode());
  }

  private void agentChecks(RoutingContext ctx) {
    JsonObject out = new JsonObject();
    checks.values().forEach(run -> out.put(run.checkId, new JsonObject()
        .put("Node", NODE)
        .put("CheckID", run.checkId)
        .put("Name", run.name)
        .put("Status", run.status)
        .put("Notes", "")
        .put("Output", run.output)
        .put("ServiceID", run.serviceId)
        .put("ServiceName", run.serviceName)
        .put("ServiceTags", run.tags)
        .put("Type", "http")
        .put("Interval", run.interval)
        .put("Timeout", run.timeout)));
    json(ctx, out.encode());
  }

  private void catalogService(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    JsonArray out = new JsonArray();
    services.values().stream().filter(s -> name.equals(s.getString("Name"))).forEach(s -> out.add(new JsonObject()
        .put("Node", NODE)
        .put("Address", "127.0.0.1")
        .put("Datacenter", DATACENTER)
        .put("ServiceID", s.getString("ID"))
        .put("ServiceName", s.getString("Name"))
        .put("ServiceTags", s.getJsonArray("Tags", new JsonArray()))
        .put("ServiceAddress", s.getString("Address", ""))
        .put("ServicePort", s.getInteger("Port", 0))
        .put("ServiceMeta", s.getJsonObject("Meta", new JsonObject()))));
    json(ctx, out.encode());
  }

  private void startCheck(String serviceId, JsonObject service, JsonObject check) {
    CheckRun run = new CheckRun();
    run.checkId = "service:" + serviceId;
    run.serviceId = serviceId;
    run.serviceName = service.getString("Name");
    run.name = check.getString("Name") == null ? "Service '" + run.serviceName + "' check" : check.getString("Name");
    run.tags = service.getJsonArray("Tags", new JsonArray());
    run.url = check.getString("HTTP");
    run.interval = check.getString("Interval");
    run.timeout = check.getString("Timeout") == null ? "10s" : check.getString("Timeout");
    run.status = check.getString("Status") == null ? "critical" : check.getString("Status");
    run.deregisterAfterMillis = check.getString("DeregisterCriticalServiceAfter") == null ? 0
        : parseGoDuration(check.getString("DeregisterCriticalServiceAfter"));
    run.criticalSince = System.currentTimeMillis();
    long every = Math.max(1, parseGoDuration(run.interval));
    run.timerId = vertx.setPeriodic(every, t -> probe(run));
    checks.put(serviceId, run);
  }

  private void probe(CheckRun run) {
    checker.getAbs(run.url).timeout(Math.max(1, parseGoDuration(run.timeout))).send()
        .onSuccess(response -> {
          int code = response.statusCode();
          String status = code >= 200 && code < 300 ? "passing" : code == 429 ? "warning" : "critical";
          record(run, status, "HTTP GET " + run.url + ": " + code);
        })
        .onFailure(e -> record(run, "critical", "Get \"" + run.url + "\": " + e.getMessage()));
  }

  private void record(CheckRun run, String status, String output) {
    if (checks.get(run.serviceId) != run) {
      return;
    }
    long now = System.currentTimeMillis();
    if (!status.equals("critical")) {
      run.criticalSince = -1;
    } else if (run.criticalSince < 0) {
      run.criticalSince = now;
    }
    run.status = status;
    run.output = output;
    boolean reap = run.deregisterAfterMillis > 0 && run.criticalSince >= 0
        && now - run.criticalSince >= run.deregisterAfterMillis;
    if (reap) {
      services.remove(run.serviceId);
      checks.remove(run.serviceId);
      vertx.cancelTimer(run.timerId);
    }
  }

  private static String validateService(JsonObject body) {
    String problem = validateFields(body, SERVICE_FIELDS, "");
    if (problem != null) {
      return problem;
    }
    if (body.getString("Name") == null || body.getString("Name").isEmpty()) {
      return "Missing service name";
    }
    JsonArray tags = body.getJsonArray("Tags");
    if (tags != null && tags.stream().anyMatch(t -> !(t instanceof String))) {
      return "Request decode failed: json: cannot unmarshal into Go struct field .Tags of type string";
    }
    JsonObject meta = body.getJsonObject("Meta");
    if (meta != null && meta.stream().anyMatch(e -> !(e.getValue() instanceof String))) {
      return "Request decode failed: json: cannot unmarshal into Go struct field .Meta of type string";
    }
    Integer port = body.getInteger("Port");
    if (port != null && (port < 0 || port > 65535)) {
      return "Invalid Port: " + port;
    }
    JsonObject check = body.getJsonObject("Check");
    if (check != null) {
      problem = validateCheck(check);
    }
    JsonArray list = body.getJsonArray("Checks");
    for (int i = 0; problem == null && list != null && i < list.size(); i++) {
      problem = list.getValue(i) instanceof JsonObject c ? validateCheck(c)
          : "Request decode failed: json: cannot unmarshal into Go struct field .Checks of type api.CheckType";
    }
    return problem;
  }

  private static String validateCheck(JsonObject check) {
    String problem = validateFields(check, CHECK_FIELDS, "Check.");
    if (problem != null) {
      return problem;
    }
    for (String field : DURATION_FIELDS) {
      String value = check.getString(field);
      if (value != null && !value.isEmpty() && parseGoDuration(value) < 0) {
        return "Request decode failed: time: invalid duration \"" + value + "\"";
      }
    }
    String status = check.getString("Status");
    if (status != null && !status.isEmpty() && !Set.of("passing", "warning", "critical").contains(status)) {
      return "Status for checks must 'passing', 'warning', 'critical'";
    }
    String http = check.getString("HTTP");
    String ttl = check.getString("TTL");
    if (http != null && !http.isEmpty()) {
      if (!isHttpUrl(http)) {
        return "Invalid check: HTTP must be an absolute http or https URL: " + http;
      }
      if (durationMillis(check, "Interval") <= 0) {
        return "Invalid check: Interval must be > 0 for Script, HTTP, H2PING, TCP or UDP checks";
      }
      return null;
    }
    if (ttl != null && !ttl.isEmpty()) {
      return durationMillis(check, "TTL") > 0 ? null : "Invalid check: TTL must be > 0 for TTL checks";
    }
    return "Invalid check: this double knows HTTP and TTL checks only";
  }

  private static String validateFields(JsonObject object, Set<String> known, String prefix) {
    for (Map.Entry<String, Object> entry : object) {
      String field = entry.getKey();
      Object value = entry.getValue();
      if (!known.contains(field)) {
        return "Request decode failed: json: unknown field \"" + prefix + field + "\"";
      }
      if (value == null) {
        continue;
      }
      String expected = STRING_FIELDS.contains(field) ? (value instanceof String ? null : "string")
          : BOOLEAN_FIELDS.contains(field) ? (value instanceof Boolean ? null : "bool")
          : INTEGER_FIELDS.contains(field) ? (isInteger(value) ? null : "int")
          : OBJECT_FIELDS.contains(field) ? (value instanceof JsonObject ? null : "object")
          : ARRAY_FIELDS.contains(field) ? (value instanceof JsonArray ? null : "array") : null;
      if (expected != null) {
        return "Request decode failed: json: cannot unmarshal " + value.getClass().getSimpleName()
            + " into Go struct field " + prefix + field + " of type " + expected;
      }
    }
    return null;
  }

  private static boolean isInteger(Object value) {
    return value instanceof Integer || value instanceof Long
        || (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()));
  }

  private static boolean isHttpUrl(String value) {
    try {
      URI uri = new URI(value);
      return uri.getHost() != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()));
    } catch (Exception e) {
      return false;
    }
  }

  private static long durationMillis(JsonObject check, String field) {
    String value = check.getString(field);
    return value == null || value.isEmpty() ? 0 : parseGoDuration(value);
  }

  /** Go's {@code time.ParseDuration}, in milliseconds; -1 when Go would refuse the text. */
  static long parseGoDuration(String text) {
    if (text.equals("0")) {
      return 0;
    }
    Matcher m = GO_DURATION.matcher(text);
    double nanos = 0;
    int end = 0;
    while (m.find() && m.start() == end) {
      double n = Double.parseDouble(m.group(1));
      nanos += n * switch (m.group(2)) {
        case "ns" -> 1;
        case "us", "µs" -> 1_000;
        case "ms" -> 1_000_000;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        default -> 3_600_000_000_000L;
      };
      end = m.end();
    }
    return end == text.length() && end > 0 ? (long) (nanos / 1_000_000) : -1;
  }

  private static void refuse(RoutingContext ctx, int status, String reason) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(reason);
  }

  private static void json(RoutingContext ctx, String body) {
    ctx.response().putHeader("Content-Type", "application/json").end(body);
  }

  /** The agent's view of one HTTP check. */
  private static final class CheckRun {
    String checkId;
    String serviceId;
    String serviceName;
    String name;
    JsonArray tags;
    String url;
    String interval;
    String timeout;
    volatile String status;
    volatile String output = "";
    long deregisterAfterMillis;
    long criticalSince;
    long timerId;
  }
}
