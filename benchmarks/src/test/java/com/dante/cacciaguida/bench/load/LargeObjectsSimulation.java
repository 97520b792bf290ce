package com.dante.cacciaguida.bench.load;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

import java.nio.file.Path;

import static io.gatling.javaapi.core.CoreDsl.RawFileBody;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * Large uploads and downloads side by side ({@code -DlargeMiB}, 64 by default; {@code -DlargeUsers} of each).
 * The PUT body is streamed from a file, not held in memory; downloads are counted and discarded.
 */
public class LargeObjectsSimulation extends Simulation {

  private static final String READ_KEY = "large/read-" + LoadSettings.LARGE_MIB + "MiB";
  private final Path file = ServicePreparation.randomFile(LoadSettings.LARGE_MIB);

  {
    String size = LoadSettings.LARGE_MIB + " MiB";
    ScenarioBuilder uploads = scenario("upload " + size)
        .exec(session -> session.set("key", "large/write-" + session.userId() % LoadSettings.LARGE_USERS))
        .exec(http("PUT " + size).put(LoadSettings.objectPath("#{key}"))
            .body(RawFileBody(file.toString()))
            .check(status().is(201)));
    ScenarioBuilder downloads = scenario("download " + size)
        .exec(http("GET " + size).get(LoadSettings.objectPath(READ_KEY))
            .check(status().is(200)));
    setUp(
        uploads.injectClosed(constantConcurrentUsers(LoadSettings.LARGE_USERS).during(LoadSettings.DURATION)),
        downloads.injectClosed(constantConcurrentUsers(LoadSettings.LARGE_USERS).during(LoadSettings.DURATION)))
        .protocols(LoadSettings.protocol())
        .assertions(global().failedRequests().percent().lt(1.0));
  }

  @Override
  public void before() {
    ServicePreparation service = new ServicePreparation();
    service.ensureBucket();
    service.put(READ_KEY, file);
  }
}
