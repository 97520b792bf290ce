package com.dante.cacciaguida.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A silent request outlives the idle timeout only while it is lifted, and the timeout comes back afterwards. */
@ExtendWith(VertxExtension.class)
class IdleTimeoutPauseTest {

  private static final int IDLE_MS = 500;
  private static final int WORK_MS = 1500;

  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    Router router = Router.router(vertx);
    router.get("/paused").handler(ctx -> {
      IdleTimeoutPause.untilEnd(ctx);
      answerLater(vertx, ctx);
    });
    router.get("/plain").handler(ctx -> answerLater(vertx, ctx));
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1")
            .setIdleTimeout(IDLE_MS).setIdleTimeoutUnit(TimeUnit.MILLISECONDS))
        .requestHandler(router).listen(0).await();
    port = server.actualPort();
  }

  @Test
  @DisplayName("Without the pause, a request silent longer than the idle timeout loses its connection")
  void idleTimeoutCutsSilentRequest() throws IOException {
    try (Socket socket = request("/plain")) {
      assertEquals("", readSome(socket.getInputStream()));
    }
  }

  @Test
  @DisplayName("With the pause, the silent request is answered, and the idle connection is closed afterwards")
  void pausedRequestIsAnsweredAndTimeoutRestored() throws IOException {
    try (Socket socket = request("/paused")) {
      String answer = readSome(socket.getInputStream());
      assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
      long idleSince = System.nanoTime();
      assertEquals("", readSome(socket.getInputStream()), "the connection stays open for ever");
      long closedAfterMs = (System.nanoTime() - idleSince) / 1_000_000;
      assertTrue(closedAfterMs < WORK_MS, "closed after " + closedAfterMs + " ms");
    }
  }

  private static void answerLater(Vertx vertx, RoutingContext ctx) {
    vertx.setTimer(WORK_MS, id -> ctx.response().end("done"));
  }

  private Socket request(String path) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(5 * WORK_MS);
    socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    return socket;
  }

  /** What arrives before the server closes the connection or pauses; "" when it closed without a byte. */
  private static String readSome(InputStream in) throws IOException {
    byte[] buf = new byte[4096];
    try {
      int n = in.read(buf);
      return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.US_ASCII);
    } catch (SocketTimeoutException stillOpen) {
      return "still open";
    }
  }
}
