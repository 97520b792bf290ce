package com.dante.cacciaguida.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.dante.cacciaguida.TestService;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP hardening of issue 7: request line and header limits answered as JSON, refusal of ambiguous body
 * framing, and the minimum upload rate, against the whole service.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("HTTP hardening")
class HttpHardeningTest {

  private TestService service;

  @BeforeAll
  void start(@TempDir Path dir) {
    service = TestService.start(dir, Map.of(
        "STORAGE_SERVER_IDLETIMEOUT", "2s",
        "STORAGE_SERVER_MINUPLOADRATE", "1KB"));
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.close();
    }
  }

  @Test
  @DisplayName("A 1024-byte key percent-encoded in full (3072 characters) fits the request line limit")
  void longestKeyFits() {
    String path = "/objects/default/" + "%C3%A9".repeat(512);
    assertEquals(201, service.put(path, Buffer.buffer("long")).statusCode());
    assertEquals("long", service.get(path + "?X-Request-Padding=" + "p".repeat(1000)).bodyAsString());
  }

  @Test
  @DisplayName("A request line beyond 8 KiB gets 414 as JSON")
  void requestLineTooLong() throws IOException {
    String response = exchange("GET /objects/default/" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    // the version of an unparsed request line is unknown, so Vert.x answers in HTTP/1.0
    assertTrue(response.matches("(?s)HTTP/1\\.[01] 414 .*"), response);
    assertJsonError(response, "RequestURITooLong");
  }

  @Test
  @DisplayName("Headers beyond 16 KiB get 431 as JSON")
  void headersTooLarge() throws IOException {
    String response = exchange("GET /objects/default/x HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(17000)
        + "\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 431"), response);
    assertJsonError(response, "RequestHeaderSectionTooLarge");
  }

  @Test
  @DisplayName("A request with both Content-Length and Transfer-Encoding is refused with 400 and stores nothing")
  void contentLengthWithTransferEncoding() throws IOException {
    String response = exchange("PUT /objects/default/smuggled HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 400"), response);
    assertJsonError(response, "InvalidRequest");
    assertEquals(404, service.get("/objects/default/smuggled").statusCode());
  }

  @Test
  @DisplayName("An upload trickling below the minimum rate is cut off while other requests are served")
  void slowUploadIsCutOff() throws Exception {
    service.put("/objects/default/other", Buffer.buffer("fine"));
    long started = System.nanoTime();
    try (Socket socket = new Socket("127.0.0.1", service.port())) {
      socket.setSoTimeout(200);
      OutputStream out = socket.getOutputStream();
      out.write("PUT /objects/default/slow HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      boolean closed = false;
      int served = 0;
      // one byte every 250 ms keeps the idle timeout (2s) away but stays far below 1 KB/s
      while (!closed && System.nanoTime() - started < 10_000_000_000L) {
        try {
          out.write('x');
          out.flush();
          closed = socket.getInputStream().read() == -1;
        } catch (java.net.SocketTimeoutException stillOpen) {
          HttpResponse<Buffer> other = service.get("/objects/default/other");
          assertEquals("fine", other.bodyAsString());
          served++;
        } catch (SocketException reset) {
          closed = true;
        }
        Thread.sleep(50);
      }
      long seconds = (System.nanoTime() - started) / 1_000_000_000L;
      assertTrue(closed, "the slow upload was not cut off within 10 s");
      assertTrue(seconds >= 1, "cut off after " + seconds + " s, before one window passed");
      assertTrue(served > 3, "other requests served meanwhile: " + served);
    }
    assertEquals(404, service.get("/objects/default/slow").statusCode());
  }

  @Test
  @DisplayName("Served objects carry nosniff and a sandbox content security policy")
  void servedObjectsAreSandboxed() {
    service.put("/objects/default/page.html", Buffer.buffer("<script>alert(1)</script>"));
    HttpResponse<Buffer> page = service.get("/objects/default/page.html");
    assertEquals("nosniff", page.getHeader("X-Content-Type-Options"));
    assertEquals("sandbox", page.getHeader("Content-Security-Policy"));
  }

  @Test
  @DisplayName("A client that resets the connection mid-download is no error: nothing at WARN or above is logged")
  void clientResetIsNoError() throws Exception {
    byte[] content = new byte[16 * 1024 * 1024];
    assertEquals(201, service.put("/objects/default/reset/large.bin", Buffer.buffer(content)).statusCode());
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(log);
    try {
      try (Socket socket = new Socket("127.0.0.1", service.port())) {
        socket.setReceiveBufferSize(4096);
        socket.getOutputStream().write(("GET /objects/default/reset/large.bin HTTP/1.1\r\nHost: x\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        assertTrue(socket.getInputStream().readNBytes(1024).length > 0);
        socket.setSoLinger(true, 0); // close with a reset, mid-body
      }
      // the server notices on its next write; and it still serves
      assertEquals(200, service.get("/health").statusCode());
      Thread.sleep(500);
      assertEquals(List.of(), log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
          .filter(e -> !e.getLoggerName().startsWith("io.micrometer"))
          .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList());
    } finally {
      root.detachAppender(log);
    }
  }

  private String exchange(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", service.port())) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new String(readAll(socket.getInputStream()), StandardCharsets.US_ASCII);
    }
  }

  /** Until the server closes the connection, as it must after refusing a request. */
  private static byte[] readAll(InputStream in) throws IOException {
    try {
      return in.readAllBytes();
    } catch (SocketException reset) {
      throw new IOException("connection reset before the answer was complete", reset);
    }
  }

  private static void assertJsonError(String response, String code) {
    assertTrue(response.toLowerCase().contains("content-type: application/json; charset=utf-8"), response);
    JsonObject body = new JsonObject(response.substring(response.indexOf("\r\n\r\n") + 4));
    assertEquals(code, body.getString("error"));
    assertTrue(body.getString("requestId").length() > 0);
  }
}
