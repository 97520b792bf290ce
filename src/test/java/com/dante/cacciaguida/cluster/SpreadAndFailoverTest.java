package com.dante.cacciaguida.cluster;

import com.dante.cacciaguida.TestService;
import com.dante.cacciaguida.storage.StorageService;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two service instances behind one address, each with a filesystem root of its own, so where an object landed
 * shows which instance served the call (on a shared store, such as S3, they would be interchangeable).
 */
@DisplayName("Several service instances share the event-bus address")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpreadAndFailoverTest {

  private static final int CALLS = 20;
  private static final DeliveryOptions TIMEOUT = new DeliveryOptions().setSendTimeout(10_000);

  @TempDir
  static Path dir;

  private static TestCluster cluster;
  private static TestService first;
  private static TestService second;
  private static Vertx caller;

  @BeforeAll
  static void startCluster() {
    cluster = new TestCluster(3);
    first = cluster.service(0, dir.resolve("first"), Map.of());
    second = cluster.service(1, dir.resolve("second"), Map.of());
    caller = cluster.caller(2);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @Test
  @Order(1)
  @DisplayName("Calls from a caller node are spread over both instances")
  void callsReachBoth() {
    for (int i = 0; i < CALLS; i++) {
      put("spread/" + i);
    }
    int onFirst = count(first, "spread/");
    int onSecond = count(second, "spread/");
    assertEquals(CALLS, onFirst + onSecond);
    assertTrue(onFirst > 0 && onSecond > 0, "first " + onFirst + ", second " + onSecond);
  }

  @Test
  @Order(2)
  @DisplayName("With one instance stopped, every call succeeds on the other")
  void oneStoppedTheOtherAnswers() {
    cluster.stop(first);
    for (int i = 0; i < CALLS; i++) {
      put("after/" + i);
      JsonObject stat = (JsonObject) call("stat", new JsonObject().put("key", "after/" + i));
      assertEquals("after/" + i, stat.getString("key"));
    }
    assertEquals(CALLS, count(second, "after/"));
  }

  private static void put(String key) {
    call("putObject", new JsonObject().put("key", key).put("data", "AAEC"));
  }

  private static Object call(String action, JsonObject arguments) {
    return caller.eventBus()
        .request(StorageService.DEFAULT_ADDRESS, arguments, new DeliveryOptions(TIMEOUT).addHeader("action", action))
        .await()
        .body();
  }

  /** Keys under {@code prefix} in the default bucket of one instance, asked over its own HTTP API. */
  private static int count(TestService service, String prefix) {
    Buffer body = service.get("/objects/list?prefix=" + prefix).body();
    return new JsonArray(body).size();
  }
}
