package com.dante.cacciaguida.storage.versioning;

import com.dante.cacciaguida.storage.StorageError;
import com.dante.cacciaguida.storage.StorageException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@DisplayName("Lifecycle rules")
class LifecycleRuleTest {

  @Test
  @DisplayName("Rules parse with config-notation durations and read back the same")
  void roundTrip() {
    JsonObject body = new JsonObject("{\"rules\":[{\"id\":\"tmp\",\"prefix\":\"tmp/\",\"expireAfter\":\"7d\","
        + "\"noncurrentExpireAfter\":\"30s\"},{\"id\":\"all\",\"noncurrentExpireAfter\":\"2h\"}]}");
    List<LifecycleRule> rules = LifecycleRule.parseRules(body);
    assertEquals(new LifecycleRule("tmp", "tmp/", Duration.ofDays(7), Duration.ofSeconds(30)), rules.get(0));
    assertEquals(new LifecycleRule("all", "", null, Duration.ofHours(2)), rules.get(1));
    assertEquals(body.getJsonArray("rules").getJsonObject(0), rules.get(0).toJson());
    BucketSettings settings = new BucketSettings(BucketSettings.Status.Suspended, rules);
    assertEquals(settings, BucketSettings.fromJson(settings.toJson()));
  }

  @Test
  @DisplayName("A rule without an action, a sub-second or malformed duration, or a repeated id is 400")
  void invalid() {
    for (String rules : List.of("[]", "[{\"id\":\"a\",\"prefix\":\"x\"}]", "[{\"id\":\"a\",\"expireAfter\":\"0s\"}]",
        "[{\"id\":\"a\",\"expireAfter\":\"1500ms\"}]", "[{\"id\":\"a\",\"expireAfter\":\"soon\"}]",
        "[{\"id\":\"a\",\"expireAfter\":\"1d\"},{\"id\":\"a\",\"expireAfter\":\"2d\"}]",
        "[{\"expireAfter\":\"1d\"}]", "[{\"id\":\"a\",\"prefix\":7,\"expireAfter\":\"1d\"}]", "[\"x\"]")) {
      StorageException e = assertThrows(StorageException.class,
          () -> LifecycleRule.parseRules(new JsonObject("{\"rules\":" + rules + "}")), rules);
      assertEquals(StorageError.InvalidArgument, e.error());
    }
  }
}
