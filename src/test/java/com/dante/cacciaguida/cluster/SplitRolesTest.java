package com.dante.cacciaguida.cluster;

import com.dante.cacciaguida.TestService;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * HTTP and storage scaled apart: an HTTP-only node ({@code verticles.storage=false}) streams bodies to the
 * shared store itself and sends its control operations over the cluster to a storage-only node
 * ({@code verticles.http=false}).
 */
@DisplayName("HTTP-only and storage-only nodes")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SplitRolesTest {

  @TempDir
  static Path dir;

  private static TestCluster cluster;
  private static TestService storageOnly;
  private static TestService httpOnly;

  @BeforeAll
  static void startCluster() {
    cluster = new TestCluster(2);
    String root = dir.resolve("shared-root").toString();
    storageOnly = cluster.service(0, dir.resolve("storage"), Map.of("STORAGE_VERTICLES_HTTP", "false",
        "STORAGE_STORAGE_FILESYSTEM_ROOT", root));
    httpOnly = cluster.service(1, dir.resolve("http"), Map.of("STORAGE_VERTICLES_STORAGE", "false",
        "STORAGE_STORAGE_FILESYSTEM_ROOT", root, "STORAGE_REQUEST_TIMEOUT", "2s"));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @Test
  @Order(1)
  @DisplayName("The HTTP-only node serves the whole API, its control operations answered by the storage node")
  void httpOnlyNodeServesTheApi() {
    assertEquals(-1, storageOnly.app().httpPort());
    assertEquals(201, httpOnly.send(HttpMethod.POST, "/buckets/split").statusCode());
    assertEquals(201, httpOnly.put("/objects/split/a/b.txt", Buffer.buffer("split roles")).statusCode());
    assertEquals("split roles", httpOnly.get("/objects/split/a/b.txt").bodyAsString());

    JsonArray listing = new JsonArray(httpOnly.get("/objects/split/list").body());
    assertEquals("a/b.txt", listing.getJsonObject(0).getString("key"));

    HttpResponse<Buffer> presign = httpOnly.request(HttpMethod.POST, "/presigned-url/split/a/b.txt")
        .sendJsonObject(new JsonObject().put("method", "GET")).await();
    assertEquals(200, presign.statusCode(), presign.bodyAsString());
    String url = presign.bodyAsJsonObject().getString("url");
    assertEquals("split roles", httpOnly.get(url.substring(url.indexOf("/objects/"))).bodyAsString());

    assertEquals(204, httpOnly.send(HttpMethod.DELETE, "/objects/split/a/b.txt").statusCode());
    assertEquals(404, httpOnly.get("/objects/split/a/b.txt").statusCode());
  }

  @Test
  @Order(2)
  @DisplayName("Without a storage node, the HTTP-only node answers control operations 503 within request_timeout")
  void noStorageNodeIs503() {
    cluster.stop(storageOnly);
    HttpResponse<Buffer> listing = httpOnly.get("/objects/split/list");
    assertEquals(503, listing.statusCode(), listing.bodyAsString());
    assertEquals("ServiceUnavailable", listing.bodyAsJsonObject().getString("error"));
  }
}
