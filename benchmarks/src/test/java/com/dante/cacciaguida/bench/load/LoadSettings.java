package com.dante.cacciaguida.bench.load;

import io.gatling.javaapi.http.HttpProtocolBuilder;

import java.time.Duration;

import static io.gatling.javaapi.http.HttpDsl.http;

/**
 * What every simulation reads from system properties (the Gatling Maven plugin passes {@code -D...} on), with
 * defaults sized for a short run on a 2-core machine.
 */
final class LoadSettings {

  /** The service, e.g. {@code -DbaseUrl=http://127.0.0.1:8082}. */
  static final String BASE_URL = System.getProperty("baseUrl", "http://127.0.0.1:8082");
  /** The bucket the simulations create (if missing) and write to. */
  static final String BUCKET = System.getProperty("bucket", "bench");
  /** Length of the measured phase. */
  static final Duration DURATION = Duration.ofSeconds(Long.getLong("duration", 60));
  /** Concurrent users of the closed models. */
  static final int USERS = Integer.getInteger("users", 32);
  /** Arrivals per second of the open model. */
  static final double RATE = Double.parseDouble(System.getProperty("rate", "500"));
  /** Percentage of GETs in the small-object mix, the rest are PUTs. */
  static final double GET_PERCENT = Double.parseDouble(System.getProperty("getPercent", "80"));
  /** Distinct small keys the mix reads and overwrites. */
  static final int SMALL_KEYS = Integer.getInteger("smallKeys", 100);
  static final int SMALL_SIZE = Integer.getInteger("smallSize", 4096);
  static final int LARGE_MIB = Integer.getInteger("largeMiB", 64);
  /** Concurrent uploaders and, separately, downloaders of the large-object simulation. */
  static final int LARGE_USERS = Integer.getInteger("largeUsers", 2);
  /** Objects under the listed prefix; also the page size asked for (1–1000). */
  static final int LIST_KEYS = Integer.getInteger("listKeys", 1000);

  private LoadSettings() {
  }

  static String objectPath(String key) {
    return "/objects/" + BUCKET + "/" + key;
  }

  /**
   * One connection pool for all users, as a client library would keep, and no HTTP cache: every GET must fetch
   * the bytes (the service sends ETags, which Gatling would otherwise turn into 304s). No warm-up request: it
   * goes to gatling.io.
   */
  static HttpProtocolBuilder protocol() {
    return http.baseUrl(BASE_URL)
        .shareConnections()
        .disableCaching()
        .disableWarmUp()
        .contentTypeHeader("application/octet-stream");
  }
}
