package com.dante.cacciaguida.bench.load;

import io.gatling.javaapi.core.ScenarioBuilder;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/** The small-object GET/PUT mix shared by the closed and the open model. */
final class SmallObjects {

  private static final byte[] BODY = ServicePreparation.randomBytes(LoadSettings.SMALL_SIZE);

  private SmallObjects() {
  }

  static void prepare() {
    ServicePreparation service = new ServicePreparation();
    service.ensureBucket();
    for (int i = 0; i < LoadSettings.SMALL_KEYS; i++) {
      service.put(key(i), BODY);
    }
  }

  static ScenarioBuilder mix(String name) {
    return scenario(name)
        .feed(keys())
        .randomSwitch().on(
            percent(LoadSettings.GET_PERCENT).then(
                exec(http("GET small").get(LoadSettings.objectPath("#{key}"))
                    .check(status().is(200)))),
            percent(100 - LoadSettings.GET_PERCENT).then(
                exec(http("PUT small").put(LoadSettings.objectPath("#{key}"))
                    .body(ByteArrayBody(BODY))
                    .check(status().is(201)))));
  }

  private static Iterator<Map<String, Object>> keys() {
    return Stream.generate(() -> Map.<String, Object>of("key",
        key(ThreadLocalRandom.current().nextInt(LoadSettings.SMALL_KEYS)))).iterator();
  }

  private static String key(int i) {
    return String.format("small/obj-%05d", i);
  }
}
