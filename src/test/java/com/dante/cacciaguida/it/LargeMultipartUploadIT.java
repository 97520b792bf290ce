package com.dante.cacciaguida.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 5+ GiB object goes up in parallel parts through a service JVM with a 256 MiB heap (filesystem backend), one part
 * broken off halfway and re-sent after listing the parts, as a client resuming would; the completed object must come
 * back with the same SHA-256 and the service's resident set must stay far below the object size.
 */
class LargeMultipartUploadIT {

  private static final Logger LOG = LoggerFactory.getLogger(LargeMultipartUploadIT.class);
  private static final long PART = Long.getLong("large.partSize", 1L << 30);
  private static final int FULL_PARTS = 5;
  private static final long LAST_PART = 64L << 20;
  private static final long SIZE = FULL_PARTS * PART + LAST_PART;
  private static final int BROKEN_PART = 3;
  private static final int CHUNK = 1 << 20;

  @Test
  @DisplayName("A 5+ GiB object assembled from parallel parts, one resumed, through a -Xmx256m service: same "
      + "SHA-256, flat memory")
  void multiGigabyteUploadInParts(@TempDir Path dir) throws Exception {
    String expected = expectedSha256();
    try (ServiceProcess service = ServiceProcess.start(dir,
        List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"),
        Map.of("STORAGE_LOG_LEVEL", "warn"))) {
      String base = service.baseUrl();
      JsonObject created = new JsonObject(exchange("POST", base + "/uploads/default/large/checkpoint.bin", 201));
      String uploadId = created.getString("uploadId");
      String parts = base + "/uploads/" + uploadId + "/parts/";

      long start = System.nanoTime();
      breakOff(parts + BROKEN_PART, BROKEN_PART);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<Future<Integer>> sends = new ArrayList<>();
        for (int n = FULL_PARTS + 1; n >= 1; n--) {
          int part = n;
          if (part != BROKEN_PART) {
            sends.add(pool.submit(() -> sendPart(parts + part, part)));
          }
        }
        for (Future<Integer> send : sends) {
          assertEquals(200, send.get());
        }
      } finally {
        pool.shutdown();
      }
      JsonArray listed = new JsonObject(exchange("GET", base + "/uploads/" + uploadId, 200)).getJsonArray("parts");
      assertEquals(FULL_PARTS, listed.size(), "the broken part is missing: " + listed.encode());
      assertTrue(listed.stream().noneMatch(p -> ((JsonObject) p).getInteger("part") == BROKEN_PART));
      assertEquals(200, sendPart(parts + BROKEN_PART, BROKEN_PART));
      double uploadSeconds = (System.nanoTime() - start) / 1e9;

      start = System.nanoTime();
      HttpURLConnection complete = open("POST", base + "/uploads/" + uploadId + "/complete");
      complete.setRequestProperty("X-Checksum-Sha256", expected);
      assertEquals(201, complete.getResponseCode());
      JsonObject info = new JsonObject(new String(complete.getInputStream().readAllBytes()));
      double completeSeconds = (System.nanoTime() - start) / 1e9;
      assertEquals(SIZE, info.getLong("size"));
      assertEquals(expected, info.getString("sha256"));
      assertTrue(info.getString("etag").endsWith("-" + (FULL_PARTS + 1) + "\""), info.encode());

      start = System.nanoTime();
      ServiceProcess.Download received = ServiceProcess.download(base + "/objects/default/large/checkpoint.bin");
      double getSeconds = (System.nanoTime() - start) / 1e9;
      assertEquals(SIZE, received.size());
      assertEquals(expected, received.sha256());
      assertEquals(expected, received.checksumHeader());

      long peakRss = service.peakRssBytes();
      LOG.info("{} MiB in {} parts: upload {} s, complete {} s, GET {} s, service peak RSS {} MiB", SIZE >> 20,
          FULL_PARTS + 1, Math.round(uploadSeconds), Math.round(completeSeconds), Math.round(getSeconds),
          peakRss >> 20);
      assertTrue(peakRss < 512L << 20, "peak RSS " + (peakRss >> 20) + " MiB");
      assertTrue(service.process().isAlive(), "the service survived");
    }
  }

  private static long partSize(int part) {
    return part <= FULL_PARTS ? PART : LAST_PART;
  }

  private static int sendPart(String url, int part) throws IOException {
    HttpURLConnection put = open("PUT", url);
    put.setFixedLengthStreamingMode(partSize(part));
    byte[] chunk = new byte[CHUNK];
    long offset = (part - 1) * PART;
    try (OutputStream out = put.getOutputStream()) {
      for (long written = 0; written < partSize(part); written += CHUNK) {
        GeneratedContent.fill(chunk, offset + written);
        out.write(chunk, 0, (int) Math.min(CHUNK, partSize(part) - written));
      }
    }
    int status = put.getResponseCode();
    put.getInputStream().readAllBytes();
    return status;
  }

  /** Sends a tenth of the part and drops the connection, as a failing network would. */
  private static void breakOff(String url, int part) throws IOException {
    HttpURLConnection put = open("PUT", url);
    put.setFixedLengthStreamingMode(partSize(part));
    byte[] chunk = new byte[CHUNK];
    OutputStream out = put.getOutputStream();
    long offset = (part - 1) * PART;
    for (long written = 0; written < partSize(part) / 10; written += CHUNK) {
      GeneratedContent.fill(chunk, offset + written);
      out.write(chunk);
    }
    out.flush();
    put.disconnect();
  }

  private static String expectedSha256() throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] chunk = new byte[CHUNK];
    for (long written = 0; written < SIZE; written += CHUNK) {
      GeneratedContent.fill(chunk, written);
      sha.update(chunk, 0, (int) Math.min(CHUNK, SIZE - written));
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static String exchange(String method, String url, int status) throws IOException {
    HttpURLConnection connection = open(method, url);
    assertEquals(status, connection.getResponseCode());
    return new String(connection.getInputStream().readAllBytes());
  }

  private static HttpURLConnection open(String method, String url) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
    connection.setRequestMethod(method);
    if (method.equals("PUT")) {
      connection.setDoOutput(true);
    }
    return connection;
  }
}
