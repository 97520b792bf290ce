package com.dante.cacciaguida.storage.versioning;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.dante.cacciaguida.TestService;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two clustered instances (Hazelcast on loopback) on one filesystem root, both sweeping every second: each due
 * object is deleted exactly once, by one of them, and neither logs a failure.
 */
@DisplayName("Lifecycle sweeps in a cluster of two instances")
class ClusteredLifecycleTest {

  private static final int BUCKETS = 4;
  private static final int DUE_PER_BUCKET = 12;

  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private TestService first;
  private TestService second;

  @AfterEach
  void stop() {
    if (second != null) {
      second.close();
    }
    if (first != null) {
      first.close();
    }
    ((Logger) LoggerFactory.getLogger(LifecycleSweeper.class)).detachAppender(log);
  }

  @Test
  @DisplayName("Two instances sweeping the same buckets delete each due object once, without errors")
  void sweepOnceAcrossTheCluster(@TempDir Path dir) throws Exception {
    Logger sweeperLog = (Logger) LoggerFactory.getLogger(LifecycleSweeper.class);
    sweeperLog.setLevel(Level.INFO);
    log.start();
    sweeperLog.addAppender(log);

    int hz1 = TestService.freePort();
    int hz2 = TestService.freePort();
    Map<String, String> common = new HashMap<>();
    common.put("STORAGE_CLUSTER_ENABLED", "true");
    common.put("STORAGE_CLUSTER_HOST", "127.0.0.1");
    common.put("STORAGE_CLUSTER_NAME", "lifecycle-" + UUID.randomUUID());
    common.put("STORAGE_CLUSTER_MEMBERS", "127.0.0.1:" + hz1 + ",127.0.0.1:" + hz2);
    common.put("STORAGE_LIFECYCLE_SWEEPINTERVAL", "1s");
    first = TestService.start(dir, with(common, "STORAGE_INSTANCE_ID", "node-1", "STORAGE_CLUSTER_HAZELCASTPORT",
        Integer.toString(hz1)));
    second = TestService.start(dir, with(common, "STORAGE_INSTANCE_ID", "node-2", "STORAGE_CLUSTER_HAZELCASTPORT",
        Integer.toString(hz2)));

    List<JsonObject> sweeps = new CopyOnWriteArrayList<>();
    first.app().vertx().eventBus().<JsonObject>consumer(LifecycleSweeper.SWEPT_ADDRESS, m -> sweeps.add(m.body()))
        .completion().await();

    for (int b = 0; b < BUCKETS; b++) {
      String bucket = "swept-" + b;
      assertEquals(201, first.send(HttpMethod.POST, "/buckets/" + bucket).statusCode());
      for (int i = 0; i < DUE_PER_BUCKET; i++) {
        TestService via = i % 2 == 0 ? first : second;
        assertEquals(201, via.put("/objects/" + bucket + "/tmp/" + i, Buffer.buffer("x")).statusCode());
      }
      first.put("/objects/" + bucket + "/keep/model.bin", Buffer.buffer("model"));
      JsonObject rules = new JsonObject().put("rules", new JsonArray().add(new JsonObject().put("id", "tmp")
          .put("prefix", "tmp/").put("expireAfter", "1s")));
      assertEquals(200, first.request(HttpMethod.PUT, "/buckets/" + bucket + "/lifecycle").sendJsonObject(rules)
          .await().statusCode());
    }

    long deadline = System.currentTimeMillis() + 30_000;
    while (!allExpired()) {
      assertTrue(System.currentTimeMillis() < deadline, "due objects not expired within 30 s");
      Thread.sleep(200);
    }
    // more sweeps on both instances: none may find anything to do again
    Thread.sleep(3000);

    Map<String, Long> expiredPerBucket = new ConcurrentHashMap<>();
    sweeps.forEach(s -> expiredPerBucket.merge(s.getString("bucket"), s.getLong("expired"), Long::sum));
    for (int b = 0; b < BUCKETS; b++) {
      assertEquals(DUE_PER_BUCKET, expiredPerBucket.getOrDefault("swept-" + b, 0L), "deletions in swept-" + b
          + ": " + sweeps);
      assertEquals(List.of("keep/model.bin"), keys(second, "swept-" + b));
    }
    assertTrue(sweeps.stream().allMatch(s -> List.of("node-1", "node-2").contains(s.getString("instance"))));
    assertEquals(List.of(), log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .map(ILoggingEvent::getFormattedMessage).toList());
  }

  private boolean allExpired() {
    for (int b = 0; b < BUCKETS; b++) {
      if (keys(first, "swept-" + b).size() != 1) {
        return false;
      }
    }
    return true;
  }

  private static List<String> keys(TestService service, String bucket) {
    return service.get("/objects/" + bucket + "/list").bodyAsJsonArray().stream()
        .map(o -> ((JsonObject) o).getString("key")).toList();
  }

  private static Map<String, String> with(Map<String, String> base, String... pairs) {
    Map<String, String> env = new HashMap<>(base);
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }
}
