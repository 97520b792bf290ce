package com.dante.cacciaguida.discovery;

import io.vertx.core.Vertx;
import io.vertx.ext.consul.ConsulClient;
import io.vertx.ext.consul.ConsulClientOptions;
import io.vertx.ext.consul.Service;
import io.vertx.ext.consul.ServiceList;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.consul.ConsulContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The same registration against a real agent, so the double cannot drift from what Consul accepts. */
@Testcontainers(disabledWithoutDocker = true)
@ExtendWith(VertxExtension.class)
class ConsulContainerTest {

  private static final int HTTP_PORT = 8082;

  @Container
  static final ConsulContainer CONSUL = new ConsulContainer("hashicorp/consul:1.20");

  @Test
  @DisplayName("a real Consul agent accepts the registration, lists it in the catalog, and drops it on undeploy")
  void registersAndDeregisters(Vertx vertx, VertxTestContext ctx) {
    int agentPort = CONSUL.getMappedPort(8500);
    ConsulClient consul = ConsulClient.create(vertx, new ConsulClientOptions()
        .setHost(CONSUL.getHost())
        .setPort(agentPort));
    var config = ConsulVerticleTest.config(agentPort, c -> c.getJsonObject("consul")
        .put("address", CONSUL.getHost() + ":" + agentPort));
    ConsulVerticleTest.deploy(vertx, config, HTTP_PORT)
        .compose(id -> Poll.until(vertx, () -> consul.catalogServiceNodes("storage-service"),
                list -> !list.getList().isEmpty(), Duration.ofSeconds(20))
            .compose(list -> {
              ctx.verify(() -> assertRegistered(list));
              return vertx.undeploy(id);
            }))
        .compose(v -> consul.localServices())
        .onComplete(ctx.succeeding(services -> ctx.verify(() -> {
          assertEquals(List.of(), services.stream().map(Service::getId)
              .filter(ConsulVerticleTest.SERVICE_ID::equals).toList());
          ctx.completeNow();
        })));
  }

  private static void assertRegistered(ServiceList list) {
    Service service = list.getList().get(0);
    assertEquals(ConsulVerticleTest.SERVICE_ID, service.getId());
    assertEquals("127.0.0.1", service.getAddress());
    assertEquals(HTTP_PORT, service.getPort());
    assertEquals(List.of("storage"), service.getTags());
    assertEquals(Map.of("version", "dev", "backend", "filesystem", "instance", ConsulVerticleTest.INSTANCE),
        service.getMeta());
  }
}
