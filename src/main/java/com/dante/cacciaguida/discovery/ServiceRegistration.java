package com.dante.cacciaguida.discovery;

import com.dante.cacciaguida.config.StorageConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * What this instance tells Consul about itself: the body of {@code PUT /v1/agent/service/register}, in the
 * agent's own field names, with an HTTP check on the health path.
 *
 * <p>The body is built here rather than through {@code ServiceOptions} because vertx-consul-client's
 * {@code CheckOptions} has no {@code Timeout}; without it Consul would wait up to 10 s for a hung health endpoint
 * instead of {@code consul.registration.timeout}.
 */
record ServiceRegistration(String id, JsonObject body) {

  static final String UNKNOWN_VERSION = "dev";

  static ServiceRegistration of(StorageConfig config, String address, int port) {
    StorageConfig.Registration registration = config.consul().registration();
    String id = registration.idPrefix() + config.instanceId();
    JsonObject check = new JsonObject()
        .put("Name", registration.serviceName() + " health")
        .put("HTTP", "http://" + hostForUrl(address) + ":" + port + registration.healthCheckPath())
        .put("Interval", goDuration(registration.interval()))
        .put("Timeout", goDuration(registration.timeout()))
        .put("DeregisterCriticalServiceAfter", goDuration(registration.deregisterAfter()));
    JsonObject meta = new JsonObject()
        .put("version", version())
        .put("backend", config.backend() == StorageConfig.Backend.S3 ? "s3" : "filesystem")
        .put("instance", config.instanceId());
    JsonObject body = new JsonObject()
        .put("ID", id)
        .put("Name", registration.serviceName())
        .put("Tags", new JsonArray(registration.tags()))
        .put("Address", address)
        .put("Port", port)
        .put("Meta", meta)
        .put("Check", check);
    return new ServiceRegistration(id, body);
  }

  /** The jar manifest's Implementation-Version; classes run from a build directory have none. */
  static String version() {
    String version = ServiceRegistration.class.getPackage().getImplementationVersion();
    return version == null || version.isBlank() ? UNKNOWN_VERSION : version;
  }

  /** Consul parses durations with Go's {@code time.ParseDuration}: whole units keep them readable. */
  static String goDuration(Duration d) {
    long millis = d.toMillis();
    if (millis % 3_600_000 == 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1_000 == 0) {
      return millis / 1_000 + "s";
    }
    return millis + "ms";
  }

  private static String hostForUrl(String address) {
    return address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
  }
}
