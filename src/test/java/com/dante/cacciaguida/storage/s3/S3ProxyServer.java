package com.dante.cacciaguida.storage.s3;

import com.dante.cacciaguida.TestService;
import com.dante.cacciaguida.config.StorageConfig;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A real S3 server for tests: S3Proxy in this JVM, on a free loopback port, with SigV4 authentication and a
 * filesystem store in a temporary directory. It can be stopped and started again on the same port with the same
 * data (to test an S3 outage), and offers a plain blocking SDK client for assertions that must not go through the
 * code under test.
 */
public final class S3ProxyServer {

  public static final String ACCESS_KEY = "test-access-key";
  public static final String SECRET_KEY = "test-secret-key";
  public static final String REGION = "us-east-1";

  private final Path basedir;
  private final int port;
  private BlobStore blobStore;
  private S3Proxy proxy;
  private S3Client client;

  private S3ProxyServer(Path basedir, int port) {
    this.basedir = basedir;
    this.port = port;
  }

  /** Starts a server on a free port over a new temporary directory. */
  public static S3ProxyServer start() throws Exception {
    S3ProxyServer server = new S3ProxyServer(Files.createTempDirectory("s3proxy-"), TestService.freePort());
    server.startAgain();
    return server;
  }

  /** Starts the (stopped) server again, on the same port, over the same data. */
  public void startAgain() throws Exception {
    if (proxy != null) {
      throw new IllegalStateException("S3Proxy is running");
    }
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", basedir.toString());
    properties.setProperty("jclouds.identity", ACCESS_KEY);
    properties.setProperty("jclouds.credential", SECRET_KEY);
    blobStore = BlobStores.create("filesystem", properties);
    S3Proxy started = S3Proxy.builder()
        .blobStore(blobStore)
        .endpoint(URI.create("http://127.0.0.1:" + port))
        .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    started.start();
    while (!"STARTED".equals(started.getState())) {
      Thread.sleep(10);
    }
    proxy = started;
  }

  /** Stops listening: connections are refused until {@link #startAgain()}. */
  public void stop() throws Exception {
    if (proxy != null) {
      proxy.stop();
      proxy = null;
      blobStore.close();
    }
  }

  /**
   * Stops the server, releases the assertion client and deletes the store: the large-object tests leave gigabytes
   * in it, which piled up in the temp directory run after run.
   */
  public void close() throws Exception {
    stop();
    if (client != null) {
      client.close();
    }
    try (Stream<Path> files = Files.walk(basedir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }

  public int port() {
    return port;
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** The {@code STORAGE_*} settings that run the service on the S3 backend against this server. */
  public Map<String, String> serviceSettings() {
    return Map.of(
        "STORAGE_STORAGE_BACKEND", "s3",
        "STORAGE_MINIO_ENDPOINT", "127.0.0.1:" + port,
        "STORAGE_MINIO_ACCESSKEYID", ACCESS_KEY,
        "STORAGE_MINIO_SECRETACCESSKEY", SECRET_KEY,
        "STORAGE_MINIO_REGION", REGION);
  }

  /** The {@code minio} config section that points at this server. */
  public StorageConfig.Minio minioConfig(String defaultBucket, boolean autoCreateDefaultBucket) {
    return new StorageConfig.Minio("127.0.0.1:" + port, ACCESS_KEY, SECRET_KEY, false, REGION, "", defaultBucket,
        autoCreateDefaultBucket);
  }

  /** A blocking SDK client of its own, for checking what the server really holds. */
  public synchronized S3Client client() {
    if (client == null) {
      client = S3Client.builder()
          .endpointOverride(URI.create(endpoint()))
          .region(Region.of(REGION))
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
          .forcePathStyle(true)
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
          .build();
    }
    return client;
  }
}
