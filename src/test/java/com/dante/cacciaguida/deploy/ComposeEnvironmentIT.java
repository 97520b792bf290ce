package com.dante.cacciaguida.deploy;

import com.dante.cacciaguida.TestService;
import com.dante.cacciaguida.discovery.ConsulAgentDouble;
import com.dante.cacciaguida.it.ServiceProcess;
import com.dante.cacciaguida.storage.s3.S3ProxyServer;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged jar started with exactly the environment the compose file gives {@code storage-1}, pointed at
 * loopback stand-ins for the compose network's services: S3Proxy for MinIO, the Consul agent double for Consul,
 * 127.0.0.1 for the container's own name. Only host names, ports and the S3 credentials (the test server's own)
 * are rewritten; every other variable goes in as written.
 */
class ComposeEnvironmentIT {

  @Test
  @DisplayName("storage-1's compose environment starts the jar: healthy on S3, registered in Consul, clustered, serving")
  void composeEnvironmentStartsTheService(@TempDir Path dir) throws Exception {
    Map<String, String> env = new TreeMap<>(ComposeFile.storageEnvironment(
        ComposeFile.service(ComposeFile.load(), "storage-1")));
    S3ProxyServer s3 = S3ProxyServer.start();
    Vertx vertx = Vertx.vertx();
    ConsulAgentDouble consul = new ConsulAgentDouble(vertx);
    int consulPort = consul.start(0).await();
    int hazelcastPort = TestService.freePort();
    try {
      rewrite(env, "STORAGE_MINIO_ENDPOINT", "minio:9000", "127.0.0.1:" + s3.port());
      rewrite(env, "STORAGE_CONSUL_ADDRESS", "consul:8500", "127.0.0.1:" + consulPort);
      rewrite(env, "STORAGE_CLUSTER_HOST", "storage-1", "127.0.0.1");
      rewrite(env, "STORAGE_CONSUL_REGISTRATION_ADDRESS", "storage-1", "127.0.0.1");
      rewrite(env, "STORAGE_CLUSTER_MEMBERS", "storage-1:5701,storage-2:5701", "127.0.0.1:" + hazelcastPort);
      rewrite(env, "STORAGE_CLUSTER_HAZELCASTPORT", "5701", Integer.toString(hazelcastPort));
      rewrite(env, "STORAGE_CLUSTER_PORT", "5710", Integer.toString(TestService.freePort()));
      env.put("STORAGE_MINIO_ACCESSKEYID", S3ProxyServer.ACCESS_KEY);
      env.put("STORAGE_MINIO_SECRETACCESSKEY", S3ProxyServer.SECRET_KEY);

      try (ServiceProcess service = ServiceProcess.start(dir, List.of("-Xmx256m"), env)) {
        HttpClient http = HttpClient.newHttpClient();
        String object = service.baseUrl() + "/objects/default/compose/check.txt";
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(object))
            .PUT(HttpRequest.BodyPublishers.ofString("from compose env")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, put.statusCode(), put.body());
        assertEquals("from compose env", s3.client().getObjectAsBytes(b -> b.bucket("default")
            .key("compose/check.txt")).asUtf8String(), "stored in the S3 server");
        assertTrue(consul.serviceIds().contains("storage-1"), "registered as storage-1: " + consul.serviceIds());
        String metrics = http.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("storage_bytes_uploaded_total"), "metrics served");
        assertEquals(0, service.terminate(Duration.ofSeconds(30)), service.log());
        assertTrue(consul.serviceIds().isEmpty(), "deregistered on SIGTERM");
      }
    } finally {
      consul.stop().await();
      vertx.close().await();
      s3.close();
    }
  }

  /** Replaces a compose value, failing when the compose file no longer says what this test expects. */
  private static void rewrite(Map<String, String> env, String variable, String composeValue, String loopback) {
    assertEquals(composeValue, env.get(variable), variable + " in docker-compose.yml");
    env.put(variable, loopback);
  }
}
