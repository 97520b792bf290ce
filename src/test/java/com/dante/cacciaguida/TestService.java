package com.dante.cacciaguida;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * The whole service started in this JVM exactly as {@code Main} starts it (config file + {@code STORAGE_*}
 * overrides), on a free loopback port, with a client pointed at it.
 */
public final class TestService implements AutoCloseable {

  private static final int FIRST_PORT = 20000;
  private static final int PORT_COUNT = 12000;
  private static final Random PORTS = new Random();

  private final StorageApplication app;
  private final Vertx clientVertx;
  private final WebClient client;
  private final int port;

  private TestService(StorageApplication app, int port) {
    this.app = app;
    this.port = port;
    this.clientVertx = Vertx.vertx();
    this.client = WebClient.create(clientVertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(port).setFollowRedirects(false));
  }

  /** Starts with the defaults plus {@code overrides} (variable name to value), under {@code dir}. */
  public static TestService start(Path dir, Map<String, String> overrides) {
    int port = freePort();
    Map<String, String> env = new HashMap<>();
    env.put("STORAGE_SERVER_HOST", "127.0.0.1");
    env.put("STORAGE_SERVER_PORT", Integer.toString(port));
    env.put("STORAGE_STORAGE_FILESYSTEM_ROOT", dir.resolve("data").toString());
    env.put("STORAGE_LOG_LEVEL", "warn");
    env.putAll(overrides);
    StorageApplication app = StorageApplication.start(dir.resolve("config.yaml"), env).await();
    return new TestService(app, port);
  }

  /**
   * A port free now, below the kernel's ephemeral range (32768-60999 on Linux): a port the kernel hands out for a
   * bind to port 0 comes from that range, and may be given again as the local port of an outgoing connection before
   * the test binds it (a Hazelcast member once failed to start so, "Port [41987] is already in use").
   */
  public static int freePort() {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = FIRST_PORT + PORTS.nextInt(PORT_COUNT);
      try (ServerSocket socket = new ServerSocket(port)) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // try another
      }
    }
    throw new UncheckedIOException(new IOException(
        "No free port in " + FIRST_PORT + "-" + (FIRST_PORT + PORT_COUNT - 1)));
  }

  public StorageApplication app() {
    return app;
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public WebClient client() {
    return client;
  }

  public Vertx clientVertx() {
    return clientVertx;
  }

  /** A request on a raw (already encoded) path. */
  public HttpRequest<Buffer> request(HttpMethod method, String rawPath) {
    return client.request(method, rawPath);
  }

  public HttpResponse<Buffer> send(HttpMethod method, String rawPath) {
    return request(method, rawPath).send().await();
  }

  public HttpResponse<Buffer> put(String rawPath, Buffer body) {
    return request(HttpMethod.PUT, rawPath).sendBuffer(body).await();
  }

  public HttpResponse<Buffer> get(String rawPath) {
    return send(HttpMethod.GET, rawPath);
  }

  @Override
  public void close() {
    client.close();
    clientVertx.close().await();
    app.stop().await();
  }
}
