package com.dante.cacciaguida.bench.load;

import io.gatling.javaapi.core.Simulation;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/** Listing pages of {@code -DlistKeys} entries (up to 1000, the maxKeys ceiling) at a fixed concurrency. */
public class ListingSimulation extends Simulation {

  private static final String PREFIX = "list/";

  {
    int pageSize = Math.min(LoadSettings.LIST_KEYS, 1000);
    setUp(scenario("list " + pageSize + " keys")
        .exec(http("GET list").get("/objects/" + LoadSettings.BUCKET + "/list")
            .queryParam("prefix", PREFIX)
            .queryParam("maxKeys", pageSize)
            .check(status().is(200), jmesPath("length(@)").ofInt().is(pageSize)))
        .injectClosed(constantConcurrentUsers(LoadSettings.USERS).during(LoadSettings.DURATION)))
        .protocols(LoadSettings.protocol())
        .assertions(global().failedRequests().percent().lt(1.0));
  }

  @Override
  public void before() {
    ServicePreparation service = new ServicePreparation();
    service.ensureBucket();
    byte[] body = ServicePreparation.randomBytes(64);
    for (int i = 0; i < LoadSettings.LIST_KEYS; i++) {
      service.put(String.format("%sobj-%05d", PREFIX, i), body);
    }
  }
}
