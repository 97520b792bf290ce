package com.dante.cacciaguida.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The access log's lines as they reach stdout: whole JSON lines in the Logback encoder's shape. */
class AccessLogTest {

  private static final long PATIENCE_MS = 5000;

  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream stdout;

  @BeforeEach
  void captureStdout() {
    stdout = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStdout() {
    System.setOut(stdout);
  }

  @Test
  @DisplayName("A request's line is one JSON object with its fields; a hostile request id and path stay inside "
      + "their strings")
  void lineIsJson() throws InterruptedException {
    String marker = UUID.randomUUID().toString();
    String requestId = marker + "\"},{\"status\":\"200\"}\n\\";
    String path = "/objects/b/\u00e9t\u00e9\"\n/" + marker;
    AccessLog.request(requestId, "PUT", path, 201, 4096, 237, 12, false);

    JsonObject line = lineContaining(marker);
    assertEquals("INFO", line.getString("level"));
    assertEquals("access", line.getString("loggerName"));
    assertEquals("request", line.getString("formattedMessage"));
    assertEquals(Thread.currentThread().getName(), line.getString("threadName"));
    assertTrue(Math.abs(System.currentTimeMillis() - line.getLong("timestamp")) < 60_000);
    JsonArray fields = line.getJsonArray("kvpList");
    assertEquals(List.of("requestId", "method", "path", "status", "bytesIn", "bytesOut", "durationMs", "completed"),
        fields.stream().map(f -> ((JsonObject) f).fieldNames().iterator().next()).toList());
    assertEquals(requestId, fields.getJsonObject(0).getString("requestId"));
    assertEquals("PUT", fields.getJsonObject(1).getString("method"));
    assertEquals(path, fields.getJsonObject(2).getString("path"));
    assertEquals("201", fields.getJsonObject(3).getString("status"));
    assertEquals("4096", fields.getJsonObject(4).getString("bytesIn"));
    assertEquals("237", fields.getJsonObject(5).getString("bytesOut"));
    assertEquals("12", fields.getJsonObject(6).getString("durationMs"));
    assertEquals("false", fields.getJsonObject(7).getString("completed"));
  }

  @Test
  @DisplayName("Lines of many threads arrive whole, one per request")
  void concurrentLinesStayWhole() throws InterruptedException {
    String marker = UUID.randomUUID().toString();
    int threads = 4;
    int perThread = 500;
    Thread[] writers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int thread = t;
      writers[t] = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          AccessLog.request(marker + "-" + thread + "-" + i, "GET", "/objects/x", 200, 0, 4096, 1, true);
        }
      });
      writers[t].start();
    }
    for (Thread writer : writers) {
      writer.join();
    }
    long deadline = System.currentTimeMillis() + PATIENCE_MS;
    List<String> lines;
    do {
      Thread.sleep(50);
      lines = linesContaining(marker);
    } while (lines.size() < threads * perThread && System.currentTimeMillis() < deadline);
    assertEquals(threads * perThread, lines.size());
    for (String line : lines) {
      assertTrue(new JsonObject(line).getJsonArray("kvpList").getJsonObject(0).getString("requestId")
          .startsWith(marker));
    }
  }

  private JsonObject lineContaining(String marker) throws InterruptedException {
    long deadline = System.currentTimeMillis() + PATIENCE_MS;
    while (System.currentTimeMillis() < deadline) {
      List<String> lines = linesContaining(marker);
      if (!lines.isEmpty()) {
        assertEquals(1, lines.size(), "one line per request");
        return new JsonObject(lines.get(0));
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no access-log line within " + PATIENCE_MS + " ms");
  }

  private List<String> linesContaining(String marker) {
    return captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(marker)).toList();
  }
}
