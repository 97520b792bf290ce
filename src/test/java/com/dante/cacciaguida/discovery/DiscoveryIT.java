package com.dante.cacciaguida.discovery;

import com.dante.cacciaguida.it.ServiceProcess;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The packaged service with a Consul agent (the double, speaking the agent's HTTP API and running its HTTP check):
 * it registers with a passing check, survives an agent restart, and on SIGTERM deregisters while still serving,
 * then exits 0.
 */
class DiscoveryIT {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  @DisplayName("Registered with a passing check, re-registered after an agent restart, deregistered before the server stops")
  void lifecycle(@TempDir Path dir) throws Exception {
    ConsulAgentDouble agent = new ConsulAgentDouble(vertx);
    int agentPort = agent.start(0).await();
    try (ServiceProcess service = ServiceProcess.start(dir, List.of("-Xmx128m"), Map.of(
        "STORAGE_CONSUL_ENABLED", "true",
        "STORAGE_CONSUL_ADDRESS", "127.0.0.1:" + agentPort,
        "STORAGE_CONSUL_REGISTRATION_INTERVAL", "1s",
        "STORAGE_INSTANCE_ID", "it-1"))) {
      String id = "storage-it-1";
      await("registered", () -> agent.serviceIds().contains(id));
      JsonObject registration = agent.registrations().get(0);
      assertEquals("storage-service", registration.getString("Name"));
      assertEquals(service.port(), registration.getInteger("Port"));
      assertEquals("127.0.0.1", registration.getString("Address"));
      await("check passing", () -> "passing".equals(agent.checkStatus(id)));

      agent.stop().await();
      agent.start(agentPort).await();
      await("registered again after the agent restarted empty", () -> agent.serviceIds().contains(id));

      assertEquals(0, service.terminate(Duration.ofSeconds(30)), service.log());
      assertTrue(agent.serviceIds().isEmpty(), "deregistered");
      assertEquals(200, agent.healthAtDeregistration().get(id), "still serving when it left the catalog");
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(100);
    }
    fail("timed out waiting until " + what);
  }
}
