package com.dante.cacciaguida.bench.load;

import io.gatling.javaapi.core.Simulation;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;

/**
 * Small-object GET/PUT mix at an open arrival rate ({@code -Drate} requests per second whatever the latency),
 * which shows queueing that a closed model hides: latency grows without bound once the rate exceeds capacity.
 */
public class SmallObjectsOpenSimulation extends Simulation {

  {
    setUp(SmallObjects.mix("small objects, " + LoadSettings.RATE + " arrivals/s")
        .injectOpen(constantUsersPerSec(LoadSettings.RATE).during(LoadSettings.DURATION)))
        .protocols(LoadSettings.protocol())
        .assertions(global().failedRequests().percent().lt(1.0));
  }

  @Override
  public void before() {
    SmallObjects.prepare();
  }
}
