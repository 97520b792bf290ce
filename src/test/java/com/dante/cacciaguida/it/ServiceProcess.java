package com.dante.cacciaguida.it;

import com.dante.cacciaguida.TestService;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The service started from the packaged jar ({@code target/storage-service.jar}) as a child process, the way an
 * operator runs it: {@code java <jvm options> -jar storage-service.jar <config>} with {@code STORAGE_*} variables.
 */
public final class ServiceProcess implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path log;

  private ServiceProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  public static Path jar() {
    Path jar = Path.of(System.getProperty("service.jar", "target/storage-service.jar"));
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: run `mvn package` (integration tests run in `mvn verify`)");
    }
    return jar;
  }

  public static ServiceProcess start(Path dir, List<String> jvmOptions, Map<String, String> env) throws Exception {
    int port = TestService.freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar().toAbsolutePath().toString());
    command.add(dir.resolve("config.yaml").toString());
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    Path log = dir.resolve("service.log");
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("STORAGE_SERVER_HOST", "127.0.0.1");
    builder.environment().put("STORAGE_SERVER_PORT", Integer.toString(port));
    builder.environment().put("STORAGE_STORAGE_FILESYSTEM_ROOT", dir.resolve("data").toString());
    builder.environment().putAll(env);
    ServiceProcess service = new ServiceProcess(builder.start(), port, log);
    service.awaitHealthy(Duration.ofSeconds(30));
    return service;
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public Process process() {
    return process;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public String log() throws IOException {
    return Files.readString(log);
  }

  /** What a streamed download brought: its length, the SHA-256 of its bytes and the X-Checksum-Sha256 header. */
  public record Download(long size, String sha256, String checksumHeader) {
  }

  /** GETs {@code url}, hashing the body as it streams in (never held in memory). */
  public static Download download(String url) throws IOException {
    java.net.HttpURLConnection get = (java.net.HttpURLConnection) URI.create(url).toURL().openConnection();
    java.security.MessageDigest sha256;
    try {
      sha256 = java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] chunk = new byte[1 << 20];
    long total = 0;
    try (java.io.InputStream in = get.getInputStream()) {
      int n;
      while ((n = in.read(chunk)) > 0) {
        sha256.update(chunk, 0, n);
        total += n;
      }
    }
    return new Download(total, java.util.HexFormat.of().formatHex(sha256.digest()),
        get.getHeaderField("X-Checksum-Sha256"));
  }

  /** Peak resident set size of the process so far (VmHWM), in bytes. */
  public long peakRssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmHWM for " + process.pid());
  }

  /** Sends SIGTERM and waits for the exit code. */
  public int terminate(Duration limit) throws Exception {
    process.destroy();
    if (!process.waitFor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("the service did not stop within " + limit);
    }
    return process.exitValue();
  }

  private void awaitHealthy(Duration limit) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the service exited with " + process.exitValue() + ":\n" + log());
      }
      try {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/health")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    process.destroyForcibly();
    throw new IllegalStateException("the service was not healthy within " + limit + ":\n" + log());
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
