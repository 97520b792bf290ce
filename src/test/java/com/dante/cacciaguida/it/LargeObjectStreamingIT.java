package com.dante.cacciaguida.it;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A multi-GB object streams in and out through a service JVM with a 256 MiB heap: if any layer buffered the body,
 * the JVM would die ({@code -XX:+ExitOnOutOfMemoryError}); the resident set must stay far below the object size.
 */
class LargeObjectStreamingIT {

  private static final Logger LOG = LoggerFactory.getLogger(LargeObjectStreamingIT.class);
  private static final long SIZE = Long.getLong("large.size", 2L << 30);
  private static final int CHUNK = 1 << 20;

  @Test
  @DisplayName("A multi-GB PUT and GET stream through a -Xmx256m service with matching SHA-256 and flat memory")
  void multiGigabyteRoundTrip(@TempDir Path dir) throws Exception {
    try (ServiceProcess service = ServiceProcess.start(dir,
        List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"),
        Map.of("STORAGE_SERVER_MAXUPLOADSIZE", "8GB", "STORAGE_LOG_LEVEL", "warn"))) {
      String url = service.baseUrl() + "/objects/default/large/model.bin";

      long start = System.nanoTime();
      HttpURLConnection put = (HttpURLConnection) URI.create(url).toURL().openConnection();
      put.setRequestMethod("PUT");
      put.setDoOutput(true);
      put.setFixedLengthStreamingMode(SIZE);
      MessageDigest sent = MessageDigest.getInstance("SHA-256");
      byte[] chunk = new byte[CHUNK];
      try (OutputStream out = put.getOutputStream()) {
        for (long written = 0; written < SIZE; written += CHUNK) {
          GeneratedContent.fill(chunk, written);
          int n = (int) Math.min(CHUNK, SIZE - written);
          sent.update(chunk, 0, n);
          out.write(chunk, 0, n);
        }
      }
      assertEquals(201, put.getResponseCode());
      String sentHex = HexFormat.of().formatHex(sent.digest());
      String body = new String(put.getInputStream().readAllBytes());
      assertTrue(body.contains(sentHex), "ObjectInfo carries the SHA-256: " + body);
      double putSeconds = (System.nanoTime() - start) / 1e9;

      start = System.nanoTime();
      ServiceProcess.Download received = ServiceProcess.download(url);
      double getSeconds = (System.nanoTime() - start) / 1e9;
      assertEquals(SIZE, received.size());
      assertEquals(sentHex, received.sha256());
      assertEquals(sentHex, received.checksumHeader());

      long peakRss = service.peakRssBytes();
      LOG.info("{} MiB: PUT {} MiB/s, GET {} MiB/s, service peak RSS {} MiB", SIZE >> 20,
          Math.round((SIZE >> 20) / putSeconds), Math.round((SIZE >> 20) / getSeconds), peakRss >> 20);
      assertTrue(peakRss < 512L << 20, "peak RSS " + (peakRss >> 20) + " MiB");
      assertTrue(service.process().isAlive(), "the service survived");
    }
  }
}
