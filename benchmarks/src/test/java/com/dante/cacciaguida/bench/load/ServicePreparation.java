package com.dante.cacciaguida.bench.load;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Random;

/**
 * The untimed part of a simulation, run from its {@code before()} hook: create the bucket and the objects the
 * load reads, so that a measured GET never meets a 404.
 */
final class ServicePreparation {

  private static final Logger log = LoggerFactory.getLogger(ServicePreparation.class);

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  void ensureBucket() {
    int status = send(HttpRequest.newBuilder(uri("/buckets/" + LoadSettings.BUCKET))
        .POST(HttpRequest.BodyPublishers.noBody()));
    if (status != 201 && status != 200) {
      throw new IllegalStateException("POST /buckets/" + LoadSettings.BUCKET + " answered " + status);
    }
  }

  void put(String key, byte[] body) {
    expectCreated(key, send(request(key).PUT(HttpRequest.BodyPublishers.ofByteArray(body))));
  }

  void put(String key, Path file) {
    try {
      expectCreated(key, send(request(key).PUT(HttpRequest.BodyPublishers.ofFile(file))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] randomBytes(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  /** A file of {@code mib} MiB of random bytes under target/, made once and reused by later runs. */
  static Path randomFile(int mib) {
    Path file = Path.of("target", "load-" + mib + "MiB.bin").toAbsolutePath();
    try {
      if (Files.exists(file) && Files.size(file) == (long) mib << 20) {
        return file;
      }
      Files.createDirectories(file.getParent());
      Path partial = Files.createTempFile(file.getParent(), "load-", ".part");
      try (var out = Files.newOutputStream(partial)) {
        byte[] mebibyte = new byte[1 << 20];
        Random random = new Random(mib);
        for (int i = 0; i < mib; i++) {
          random.nextBytes(mebibyte);
          out.write(mebibyte);
        }
      }
      Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
      log.info("Created {} ({} MiB)", file, mib);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HttpRequest.Builder request(String key) {
    return HttpRequest.newBuilder(uri(LoadSettings.objectPath(key)))
        .timeout(Duration.ofMinutes(2))
        .header("Content-Type", "application/octet-stream");
  }

  private int send(HttpRequest.Builder request) {
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException("The service at " + LoadSettings.BASE_URL + " did not answer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void expectCreated(String key, int status) {
    if (status != 201 && status != 200) {
      throw new IllegalStateException("PUT " + LoadSettings.objectPath(key) + " answered " + status);
    }
  }

  private static URI uri(String path) {
    return URI.create(LoadSettings.BASE_URL + path);
  }
}
