package com.dante.cacciaguida.discovery;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The double refuses the bodies the agent refuses, so the verticle's tests cannot pass on a body Consul rejects. */
@ExtendWith(VertxExtension.class)
class ConsulAgentDoubleTest {

  private static final String VALID = """
      {"ID":"s-1","Name":"s","Tags":["a"],"Address":"127.0.0.1","Port":8082,"Meta":{"k":"v"},
       "Check":{"HTTP":"http://127.0.0.1:8082/health","Interval":"10s","Timeout":"2s",
                "DeregisterCriticalServiceAfter":"1m"}}""";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "unknown field|\"Name\":\"s\"|\"Nmae\":\"s\"|unknown field",
      "missing name|\"Name\":\"s\",|''|Missing service name",
      "empty name|\"Name\":\"s\"|\"Name\":\"\"|Missing service name",
      "port as string|\"Port\":8082|\"Port\":\"8082\"|cannot unmarshal",
      "tags not strings|[\"a\"]|[1]|cannot unmarshal",
      "meta value not string|{\"k\":\"v\"}|{\"k\":1}|cannot unmarshal",
      "bad interval|\"10s\"|\"10 seconds\"|invalid duration",
      "bad deregister duration|\"1m\"|\"1min\"|invalid duration",
      "unknown check field|\"Timeout\":\"2s\"|\"Timeoutt\":\"2s\"|unknown field",
      "HTTP check without interval|\"Interval\":\"10s\",|\"Notes\":\"\",|Interval must be > 0",
      "relative check URL|http://127.0.0.1:8082/health|/health|HTTP must be",
      "malformed JSON|\"ID\":\"s-1\",|\"ID\":\"s-1\",,|Request decode failed"})
  @DisplayName("a registration the agent would refuse is answered 400 with the reason and not kept")
  void refusesInvalidRegistration(String name, String replace, String with, String reason, Vertx vertx,
                                  VertxTestContext ctx) {
    String body = VALID.replace(replace, with);
    ConsulAgentDouble agent = new ConsulAgentDouble(vertx);
    agent.start(0)
        .compose(port -> register(vertx, port, body))
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertEquals(400, response.statusCode(), response.bodyAsString());
          assertTrue(response.bodyAsString().contains(reason), response.bodyAsString());
          assertTrue(agent.serviceIds().isEmpty());
          ctx.completeNow();
        })));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "the reference body|x|x",
      "null for a known field, as vertx-consul-client sends|\"Timeout\":\"2s\"|\"Timeout\":\"2s\",\"Notes\":null"})
  @DisplayName("a valid registration is kept and listed by the agent and the catalog")
  void acceptsValidRegistration(String name, String replace, String with, Vertx vertx, VertxTestContext ctx) {
    ConsulAgentDouble agent = new ConsulAgentDouble(vertx);
    WebClient client = WebClient.create(vertx);
    agent.start(0)
        .compose(port -> register(vertx, port, VALID.replace(replace, with))
            .compose(r -> {
              ctx.verify(() -> assertEquals(200, r.statusCode(), r.bodyAsString()));
              return Future.all(client.get(port, "127.0.0.1", "/v1/agent/services").send(),
                  client.get(port, "127.0.0.1", "/v1/catalog/service/s").send());
            }))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          JsonObject service = both.<HttpResponse<Buffer>>resultAt(0).bodyAsJsonObject().getJsonObject("s-1");
          assertEquals("s", service.getString("Service"));
          assertEquals(8082, service.getInteger("Port"));
          JsonObject entry = both.<HttpResponse<Buffer>>resultAt(1).bodyAsJsonArray().getJsonObject(0);
          assertEquals("s-1", entry.getString("ServiceID"));
          assertEquals("127.0.0.1", entry.getString("ServiceAddress"));
          ctx.completeNow();
        })));
  }

  private static Future<HttpResponse<Buffer>> register(Vertx vertx, int port, String body) {
    return WebClient.create(vertx).put(port, "127.0.0.1", "/v1/agent/service/register")
        .sendBuffer(Buffer.buffer(body));
  }
}
