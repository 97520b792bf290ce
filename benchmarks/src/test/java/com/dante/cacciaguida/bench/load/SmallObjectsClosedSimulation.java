package com.dante.cacciaguida.bench.load;

import io.gatling.javaapi.core.Simulation;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.global;

/**
 * Small-object GET/PUT mix at a fixed concurrency (closed model: {@code -Dusers} requests always in flight),
 * the shape of the wrk/hey figures of compare.sh.
 */
public class SmallObjectsClosedSimulation extends Simulation {

  {
    setUp(SmallObjects.mix("small objects, " + LoadSettings.USERS + " concurrent users")
        .injectClosed(constantConcurrentUsers(LoadSettings.USERS).during(LoadSettings.DURATION)))
        .protocols(LoadSettings.protocol())
        .assertions(global().failedRequests().percent().lt(1.0));
  }

  @Override
  public void before() {
    SmallObjects.prepare();
  }
}
