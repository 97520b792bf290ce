package com.dante.cacciaguida.deploy;

import com.dante.cacciaguida.config.ConfigLoader;
import com.dante.cacciaguida.config.StorageConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Checks docker/docker-compose.yml against the service's own config, since no Docker engine runs the stack in
 * the build: a misspelled {@code STORAGE_*} variable is silently ignored by the service (only a warning), so
 * this is the place that catches it.
 */
class ComposeFileTest {

  private static final Path DOCKER = Path.of("docker");
  private static final String IMAGE = "dante/storage-service";
  /** Compose's {@code ${NAME:-default}}; a variable without a default would make the file host-dependent. */
  private static final Pattern HEALTH_URL = Pattern.compile("http://localhost:(?:\\$\\{STORAGE_SERVER_PORT:-)?(\\d+)}?(/[^\"\\s]*)");

  private static Map<String, Object> compose;
  private static Map<String, Map<String, Object>> storageServices;
  private static Map<String, String> variableToPath;

  @BeforeAll
  static void load() throws IOException {
    compose = yaml(DOCKER.resolve("docker-compose.yml"));
    storageServices = new TreeMap<>();
    map(compose.get("services")).forEach((name, service) -> {
      if (String.valueOf(map(service).get("image")).startsWith(IMAGE)) {
        storageServices.put(name, map(service));
      }
    });
    variableToPath = new TreeMap<>();
    collectPaths(ConfigLoader.defaults(), "", variableToPath);
  }

  @Test
  @DisplayName("the compose file runs at least two storage-service instances built from docker/Dockerfile")
  void twoInstancesFromTheDockerfile() {
    assertTrue(storageServices.keySet().containsAll(List.of("storage-1", "storage-2")), storageServices.keySet()
        .toString());
    storageServices.forEach((name, service) -> {
      Map<String, Object> build = map(service.get("build"));
      assertEquals("docker/Dockerfile", build.get("dockerfile"), name);
      assertTrue(Files.isRegularFile(DOCKER.resolve(String.valueOf(build.get("context")))
          .resolve(String.valueOf(build.get("dockerfile")))), name + ": Dockerfile not found from its context");
    });
  }

  @Test
  @DisplayName("every STORAGE_* variable of a storage service names a config key")
  void everyVariableIsAConfigKey() {
    storageServices.forEach((name, service) -> {
      Set<String> unknown = new TreeSet<>(environment(name).keySet());
      unknown.removeAll(variableToPath.keySet());
      assertTrue(unknown.isEmpty(), name + " sets variables that match no config key: " + unknown);
    });
  }

  @Test
  @DisplayName("each storage service's environment, applied to the defaults, is a valid StorageConfig")
  void environmentGivesValidConfig() {
    storageServices.keySet().forEach(name -> {
      StorageConfig config = config(name);
      assertEquals(StorageConfig.Backend.S3, config.backend(), name);
      assertEquals("minio:9000", config.minio().endpoint(), name);
      assertTrue(config.consul().enabled(), name);
      assertEquals("consul:8500", config.consul().address(), name);
      assertTrue(config.cluster().enabled(), name);
      assertTrue(config.cluster().port() > 0, name + ": the event-bus port must be fixed to be exposed");
      assertTrue(config.metrics().enabled(), name);
    });
  }

  @Test
  @DisplayName("the named instances advertise their service name and list each other as cluster members")
  void instancesClusterWithEachOther() {
    Map<String, StorageConfig> named = new LinkedHashMap<>();
    storageServices.forEach((name, service) -> {
      if (environment(name).containsKey("STORAGE_CLUSTER_HOST")) {
        named.put(name, config(name));
      }
    });
    assertTrue(named.size() >= 2, named.keySet().toString());
    named.forEach((name, config) -> {
      assertEquals(name, config.cluster().host(), name + ": cluster host");
      assertEquals(name, storageServices.get(name).get("hostname"), name + ": container hostname");
      assertEquals(name, config.consul().registration().address(), name + ": Consul registration address");
      named.forEach((other, otherConfig) -> assertTrue(
          config.cluster().members().contains(other + ":" + otherConfig.cluster().hazelcastPort()),
          name + " does not list " + other + " in " + config.cluster().members()));
    });
  }

  @Test
  @DisplayName("storage services start after MinIO and Consul report healthy")
  void dependsOnHealthyBackends() {
    Map<String, Object> services = map(compose.get("services"));
    storageServices.forEach((name, service) -> {
      Map<String, Object> dependsOn = map(service.get("depends_on"));
      for (String backend : List.of("minio", "consul")) {
        assertEquals("service_healthy", map(dependsOn.get(backend)).get("condition"), name + " -> " + backend);
        assertTrue(map(services.get(backend)).containsKey("healthcheck"), backend + " has no healthcheck");
      }
    });
  }

  @Test
  @DisplayName("the compose and Dockerfile health checks probe the configured port and health path")
  void healthcheckMatchesConfig() throws IOException {
    storageServices.keySet().forEach(name -> {
      StorageConfig config = config(name);
      Object test = map(storageServices.get(name).get("healthcheck")).get("test");
      Matcher url = healthUrl(String.join(" ", strings(test)), name);
      assertEquals(config.server().port(), Integer.parseInt(url.group(1)), name + ": health check port");
      assertEquals(config.consul().registration().healthCheckPath(), url.group(2), name + ": health check path");
    });
    StorageConfig defaults = StorageConfig.from(ConfigLoader.defaults());
    String healthcheckLine = Files.readAllLines(DOCKER.resolve("Dockerfile")).stream()
        .filter(line -> line.startsWith("HEALTHCHECK"))
        .findFirst().orElseThrow(() -> new AssertionError("Dockerfile has no HEALTHCHECK"));
    Matcher url = healthUrl(healthcheckLine, "Dockerfile");
    assertEquals(defaults.server().port(), Integer.parseInt(url.group(1)), "Dockerfile health check port");
    assertEquals(defaults.consul().registration().healthCheckPath(), url.group(2), "Dockerfile health check path");
  }

  @Test
  @DisplayName("Prometheus scrapes every named instance on its HTTP port at the metrics path")
  void prometheusScrapesTheInstances() throws IOException {
    Map<String, Object> prometheus = yaml(DOCKER.resolve("prometheus").resolve("prometheus.yml"));
    Map<String, Object> job = list(prometheus.get("scrape_configs")).stream()
        .map(ComposeFileTest::map)
        .filter(j -> j.containsKey("static_configs"))
        .findFirst().orElseThrow(() -> new AssertionError("no static scrape job"));
    Set<String> targets = list(job.get("static_configs")).stream()
        .flatMap(c -> strings(map(c).get("targets")).stream())
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> expected = new TreeSet<>();
    storageServices.forEach((name, service) -> {
      if (service.containsKey("hostname")) {
        expected.add(name + ":" + config(name).server().port());
        assertEquals(config(name).metrics().path(), job.get("metrics_path"), name + ": metrics path");
      }
    });
    assertEquals(expected, targets);
  }

  @Test
  @DisplayName("Grafana's dashboard provider reads the directory compose mounts the dashboard into")
  void grafanaProvisioningFindsTheDashboard() throws IOException {
    Map<String, Object> provisioning = yaml(DOCKER.resolve("grafana/provisioning/dashboards/storage-service.yml"));
    String providerPath = String.valueOf(map(map(list(provisioning.get("providers")).get(0)).get("options"))
        .get("path"));
    List<String> volumes = strings(map(map(compose.get("services")).get("grafana")).get("volumes"));
    assertTrue(volumes.contains("./grafana/dashboards:" + providerPath + ":ro"), volumes.toString());
    JsonObject dashboard = new JsonObject(Files.readString(DOCKER.resolve("grafana/dashboards/storage-service.json")));
    String queries = dashboard.getJsonArray("panels").stream()
        .map(JsonObject.class::cast)
        .flatMap(panel -> panel.getJsonArray("targets", new JsonArray()).stream())
        .map(target -> ((JsonObject) target).getString("expr"))
        .collect(Collectors.joining("\n"));
    for (String metric : List.of("vertx_http_server_requests_total", "vertx_http_server_response_time_seconds_bucket",
        "storage_bytes_uploaded_total", "storage_bytes_downloaded_total")) {
      assertTrue(queries.contains(metric), "dashboard does not query " + metric);
    }
  }

  private static Map<String, String> environment(String service) {
    return ComposeFile.storageEnvironment(storageServices.get(service));
  }

  /** Defaults plus the service's variables at their key paths, as strings: what the service itself reads. */
  private static StorageConfig config(String service) {
    JsonObject merged = ConfigLoader.defaults();
    environment(service).forEach((variable, value) -> {
      String path = variableToPath.get(variable);
      if (path != null) {
        put(merged, path, value);
      }
    });
    return StorageConfig.from(merged);
  }

  private static void collectPaths(JsonObject node, String prefix, Map<String, String> out) {
    for (String field : node.fieldNames()) {
      String path = prefix + field;
      if (node.getValue(field) instanceof JsonObject child) {
        collectPaths(child, path + ".", out);
      } else {
        out.put("STORAGE_" + path.toUpperCase(Locale.ROOT).replace('.', '_'), path);
      }
    }
  }

  private static void put(JsonObject root, String path, String value) {
    String[] parts = path.split("\\.");
    JsonObject node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      node = node.getJsonObject(parts[i]);
    }
    node.put(parts[parts.length - 1], value);
  }

  private static Matcher healthUrl(String text, String where) {
    Matcher m = HEALTH_URL.matcher(text);
    assertTrue(m.find(), where + ": no http://localhost health URL in " + text);
    return m;
  }

  private static Map<String, Object> yaml(Path file) throws IOException {
    try (var in = Files.newInputStream(file)) {
      return map(new Yaml(new SafeConstructor(new LoaderOptions())).load(in));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    assertTrue(value instanceof Map, "expected a mapping, got " + value);
    return (Map<String, Object>) value;
  }

  private static List<?> list(Object value) {
    assertTrue(value instanceof List, "expected a list, got " + value);
    return (List<?>) value;
  }

  private static List<String> strings(Object value) {
    List<String> out = new ArrayList<>();
    list(value).forEach(item -> out.add(String.valueOf(item)));
    assertFalse(out.isEmpty(), "empty list");
    return out;
  }
}
