package com.dante.cacciaguida.it;

import com.dante.cacciaguida.storage.s3.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged service on the S3 backend in front of S3Proxy: a large chunked upload (multipart underneath)
 * streams through a small heap, and an S3 outage gives 503s that end by themselves when S3 is back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3GatewayIT {

  private static final Logger LOG = LoggerFactory.getLogger(S3GatewayIT.class);
  private static final long SIZE = Long.getLong("s3.large.size", 512L << 20);

  private S3ProxyServer s3;
  private ServiceProcess service;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    s3 = S3ProxyServer.start();
    Map<String, String> env = new HashMap<>(s3.serviceSettings());
    env.put("STORAGE_REQUEST_TIMEOUT", "10s");
    env.put("STORAGE_LOG_LEVEL", "warn");
    service = ServiceProcess.start(dir, List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"), env);
  }

  @AfterAll
  void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  @DisplayName("A 512 MiB chunked upload and its download stream through a -Xmx256m gateway, SHA-256 equal both ways")
  void largeChunkedUpload() throws Exception {
    String url = service.baseUrl() + "/objects/default/big/chunked.bin";
    HttpURLConnection put = (HttpURLConnection) URI.create(url).toURL().openConnection();
    put.setRequestMethod("PUT");
    put.setDoOutput(true);
    put.setChunkedStreamingMode(256 * 1024);
    MessageDigest sent = MessageDigest.getInstance("SHA-256");
    byte[] chunk = new byte[1 << 20];
    long start = System.nanoTime();
    try (OutputStream out = put.getOutputStream()) {
      for (long written = 0; written < SIZE; written += chunk.length) {
        chunk[0] = (byte) (written >>> 20);
        chunk[chunk.length - 1] = (byte) (written >>> 28);
        sent.update(chunk);
        out.write(chunk);
      }
    }
    assertEquals(201, put.getResponseCode(), new String(put.getErrorStream() == null ? new byte[0]
        : put.getErrorStream().readAllBytes()));
    double putSeconds = (System.nanoTime() - start) / 1e9;
    assertEquals(0, s3.client().listMultipartUploads(b -> b.bucket("default")).uploads().size());

    MessageDigest received = MessageDigest.getInstance("SHA-256");
    long total = 0;
    start = System.nanoTime();
    try (InputStream in = URI.create(url).toURL().openStream()) {
      int n;
      while ((n = in.read(chunk)) > 0) {
        received.update(chunk, 0, n);
        total += n;
      }
    }
    double getSeconds = (System.nanoTime() - start) / 1e9;
    assertEquals(SIZE, total);
    assertEquals(HexFormat.of().formatHex(sent.digest()), HexFormat.of().formatHex(received.digest()));
    long peakRss = service.peakRssBytes();
    LOG.info("S3 backend {} MiB chunked: PUT {} MiB/s, GET {} MiB/s, gateway peak RSS {} MiB", SIZE >> 20,
        Math.round((SIZE >> 20) / putSeconds), Math.round((SIZE >> 20) / getSeconds), peakRss >> 20);
    assertTrue(peakRss < 512L << 20, "peak RSS " + (peakRss >> 20) + " MiB");
  }

  @Test
  @DisplayName("S3 stopped under the running gateway: 503 ServiceUnavailable and health DOWN; back again: success")
  void outageAndRecovery() throws Exception {
    String url = service.baseUrl() + "/objects/default/outage.txt";
    assertEquals(201, put(url, "before").statusCode());
    s3.stop();
    try {
      long start = System.nanoTime();
      HttpResponse<String> down = get(url);
      assertEquals(503, down.statusCode(), down.body());
      assertTrue(down.body().contains("ServiceUnavailable"), down.body());
      assertTrue(System.nanoTime() - start < Duration.ofSeconds(15).toNanos(), "answered within the timeout");
      assertEquals(503, put(url, "during").statusCode());
      assertEquals(503, get(service.baseUrl() + "/health").statusCode());
    } finally {
      s3.startAgain();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    HttpResponse<String> after = get(url);
    while (after.statusCode() != 200 && System.nanoTime() < deadline) {
      Thread.sleep(200);
      after = get(url);
    }
    assertEquals(200, after.statusCode(), after.body());
    assertEquals("before", after.body());
    assertEquals(201, put(url, "after").statusCode());
    assertEquals(200, get(service.baseUrl() + "/health").statusCode());
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> put(String url, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
