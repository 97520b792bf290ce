package com.dante.cacciaguida.metrics;

import com.dante.cacciaguida.TestService;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /metrics} after real traffic against the whole service: Vert.x's HTTP, event-bus, JVM and process
 * series, the service's own counters, gauges and backend latency, and labels that never carry a bucket name or
 * an object key.
 */
class PrometheusMetricsTest {

  private static final long SCRAPE_PATIENCE_MS = 5000;

  @Test
  @DisplayName("After PUT, GET, 404, list and delete, /metrics has HTTP latency by route template, the storage "
      + "counters, backend latency by operation and outcome, event-bus, JVM and process series")
  void seriesAfterTraffic(@TempDir Path dir) {
    try (TestService service = TestService.start(dir, Map.of())) {
      String token = UUID.randomUUID().toString().replace("-", "");
      String bucket = "bkt-" + token.substring(0, 20);
      String key = "k-" + token;
      Buffer small = Buffer.buffer("a".repeat(1000));
      Buffer large = Buffer.buffer("b".repeat(2500));
      assertEquals(201, service.send(HttpMethod.POST, "/buckets/" + bucket).statusCode());
      assertEquals(201, service.put("/objects/" + bucket + "/" + key + "/one", small).statusCode());
      assertEquals(201, service.put("/objects/" + bucket + "/" + key + "/two", large).statusCode());
      assertEquals(201, service.put("/objects/" + key + "-in-default", small).statusCode());
      assertEquals(large, service.get("/objects/" + bucket + "/" + key + "/two").body());
      assertEquals(206, service.request(HttpMethod.GET, "/objects/" + bucket + "/" + key + "/one")
          .putHeader("Range", "bytes=0-99").send().await().statusCode());
      assertEquals(404, service.get("/objects/" + bucket + "/" + key + "/missing").statusCode());
      assertEquals(404, service.get("/no-such-route/" + key).statusCode());
      assertEquals(200, service.get("/objects/" + bucket + "/list").statusCode());
      assertEquals(204, service.send(HttpMethod.DELETE, "/objects/" + bucket + "/" + key + "/one").statusCode());

      eventually(service, "/metrics", scrape -> {
        assertEquals(2 * small.length() + large.length(), scrape.value("storage_bytes_uploaded_total"));
        assertEquals(3, scrape.value("storage_objects_written_total"));
        assertEquals(1, scrape.value("storage_objects_deleted_total"));
        assertEquals(large.length() + 100, scrape.value("storage_bytes_downloaded_total"));
        assertEquals(0, scrape.value("storage_uploads_in_flight"));
        assertEquals(0, scrape.value("storage_multipart_uploads_open"));

        assertEquals(3, scrape.sum("storage_backend_operation_seconds_count", "operation", "put",
            "outcome", "success"));
        assertEquals(2, scrape.sum("storage_backend_operation_seconds_count", "operation", "get",
            "outcome", "success"));
        // the missing key, plus the versioning layer's reads of the bucket's (absent) settings object
        assertTrue(scrape.sum("storage_backend_operation_seconds_count", "operation", "get",
            "outcome", "client_error") >= 1);
        assertEquals(1, scrape.sum("storage_backend_operation_seconds_count", "operation", "delete",
            "outcome", "success"));
        assertFalse(scrape.find("storage_backend_operation_seconds_bucket", "operation", "put",
            "outcome", "success", "le", "+Inf").isEmpty());

        assertEquals(3, scrape.sum("vertx_http_server_requests_total", "route", "/objects/*", "method", "PUT",
            "code", "201"));
        assertEquals(3, scrape.sum("vertx_http_server_response_time_seconds_bucket", "route", "/objects/*",
            "method", "PUT", "code", "201", "le", "+Inf"));
        assertTrue(scrape.find("vertx_http_server_response_time_seconds_bucket", "route", "/objects/*",
            "method", "PUT", "code", "201").size() > 10, "latency buckets");
        assertEquals(1, scrape.sum("vertx_http_server_requests_total", "route", "/objects/:bucket/list",
            "code", "200"));
        assertEquals(1, scrape.sum("vertx_http_server_requests_total", "route", "/objects/*", "method", "GET",
            "code", "404"));
        // no route matched: one bounded label value, whatever the path
        assertEquals(1, scrape.sum("vertx_http_server_requests_total", "route", "", "code", "404"));
        // body sizes: the request's by method, the response's by route, method and code
        assertEquals(2 * small.length() + large.length(), scrape.sum("vertx_http_server_request_bytes_sum",
            "method", "PUT"));
        assertEquals(large.length(), scrape.sum("vertx_http_server_response_bytes_sum", "route", "/objects/*",
            "method", "GET", "code", "200"));
        assertEquals(100, scrape.sum("vertx_http_server_response_bytes_sum", "route", "/objects/*",
            "method", "GET", "code", "206"));
        // the scrape itself is the one request in flight, on the one connection the test client keeps
        assertEquals(1, scrape.sum("vertx_http_server_active_requests", "method", "GET"));
        assertEquals(0, scrape.sum("vertx_http_server_active_requests", "method", "PUT"));
        assertTrue(scrape.value("vertx_http_server_active_connections") >= 1);
        assertTrue(scrape.value("vertx_http_server_bytes_read_total") >= 2 * small.length() + large.length());
        assertTrue(scrape.value("vertx_http_server_bytes_written_total") >= large.length() + 100);

        assertFalse(scrape.find("vertx_eventbus_handlers", "address", "storage.service").isEmpty());
        for (String jvm : new String[] {"jvm_memory_used_bytes", "jvm_gc_memory_allocated_bytes_total",
            "jvm_threads_live_threads", "process_cpu_usage", "system_cpu_count", "process_uptime_seconds",
            "process_files_open_files"}) {
          assertFalse(scrape.find(jvm).isEmpty(), jvm);
        }

        for (Scrape.Sample sample : scrape.samples()) {
          for (String value : sample.labels().values()) {
            assertFalse(value.contains(token), () -> "a label carries a key or bucket name: " + sample);
          }
        }
      });
      String text = service.get("/metrics").bodyAsString();
      assertFalse(text.contains(token), "the scrape mentions a key or bucket name");
    }
  }

  @Test
  @DisplayName("storage_multipart_uploads_open follows creates and aborts, and a restart counts what the store holds")
  void openMultipartUploads(@TempDir Path dir) {
    try (TestService service = TestService.start(dir, Map.of())) {
      String first = service.send(HttpMethod.POST, "/uploads/default/big/one.bin").bodyAsJsonObject()
          .getString("uploadId");
      service.send(HttpMethod.POST, "/uploads/default/big/two.bin");
      eventually(service, "/metrics", scrape -> assertEquals(2, scrape.value("storage_multipart_uploads_open")));
      assertEquals(204, service.send(HttpMethod.DELETE, "/uploads/" + first).statusCode());
      eventually(service, "/metrics", scrape -> assertEquals(1, scrape.value("storage_multipart_uploads_open")));
    }
    // a new instance on the same root has created nothing itself: its startup sweep counts the store
    try (TestService service = TestService.start(dir, Map.of())) {
      eventually(service, "/metrics", scrape -> assertEquals(1, scrape.value("storage_multipart_uploads_open")));
    }
  }

  @Test
  @DisplayName("Two services in one JVM keep separate registries, each scraped at its own metrics.path")
  void oneRegistryPerInstance(@TempDir Path dir) {
    try (TestService first = TestService.start(dir.resolve("first"), Map.of());
         TestService second = TestService.start(dir.resolve("second"),
             Map.of("STORAGE_METRICS_PATH", "/internal/metrics"))) {
      assertEquals(201, first.put("/objects/only-first", Buffer.buffer("12345")).statusCode());
      assertEquals(201, second.put("/objects/second-a", Buffer.buffer("1")).statusCode());
      assertEquals(201, second.put("/objects/second-b", Buffer.buffer("2")).statusCode());

      eventually(first, "/metrics", scrape -> {
        assertEquals(1, scrape.value("storage_objects_written_total"));
        assertEquals(5, scrape.value("storage_bytes_uploaded_total"));
      });
      eventually(second, "/internal/metrics", scrape -> {
        assertEquals(2, scrape.value("storage_objects_written_total"));
        assertEquals(2, scrape.value("storage_bytes_uploaded_total"));
      });
      assertEquals(404, second.get("/metrics").statusCode());
    }
  }

  @Test
  @DisplayName("With metrics.enabled=false, /metrics is 404 and objects are still stored and served")
  void disabled(@TempDir Path dir) {
    try (TestService service = TestService.start(dir, Map.of("STORAGE_METRICS_ENABLED", "false"))) {
      HttpResponse<Buffer> scrape = service.get("/metrics");
      assertEquals(404, scrape.statusCode());
      assertEquals("NotFound", scrape.bodyAsJsonObject().getString("error"));
      assertEquals(201, service.put("/objects/plain", Buffer.buffer("still works")).statusCode());
      assertEquals("still works", service.get("/objects/plain").bodyAsString());
    }
  }

  /**
   * Scrapes until the assertions hold: a download's bytes are counted when sending completes on the server,
   * which the client may see a moment before.
   */
  private static void eventually(TestService service, String path, Consumer<Scrape> assertions) {
    long deadline = System.currentTimeMillis() + SCRAPE_PATIENCE_MS;
    while (true) {
      HttpResponse<Buffer> response = service.get(path);
      assertEquals(200, response.statusCode());
      assertTrue(response.getHeader("Content-Type").startsWith("text/plain"), response.getHeader("Content-Type"));
      try {
        assertions.accept(Scrape.parse(response.bodyAsString()));
        return;
      } catch (AssertionError e) {
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
      }
      sleep();
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
