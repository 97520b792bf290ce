package com.dante.cacciaguida.http;

import com.dante.cacciaguida.TestService;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the API contracts share: one service per test class, on the backend a subclass configures, and a bucket
 * of its own for every test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ServiceContract {

  private static final AtomicInteger BUCKETS = new AtomicInteger();

  protected Path dir;
  protected TestService service;
  protected String bucket;
  /** The settings the service was started with. */
  protected Map<String, String> settings;

  /** The {@code STORAGE_*} settings that select and configure the backend under test (called per service). */
  protected abstract Map<String, String> backendSettings(Path dir);

  /** The first word of the names of the buckets the tests get. */
  protected abstract String bucketPrefix();

  /** The contract's own settings, added to the backend's. */
  protected void addSettings(Map<String, String> settings) {
  }

  @BeforeAll
  void startService(@TempDir Path dir) {
    this.dir = dir;
    settings = new HashMap<>(backendSettings(dir));
    addSettings(settings);
    service = TestService.start(dir, settings);
  }

  @AfterAll
  void stopService() {
    if (service != null) {
      service.close();
    }
  }

  @BeforeEach
  void newBucket() {
    bucket = bucketPrefix() + "-" + BUCKETS.incrementAndGet() + "-"
        + getClass().getSimpleName().toLowerCase().substring(0, 2);
    assertEquals(201, service.send(HttpMethod.POST, "/buckets/" + bucket).statusCode());
  }
}
