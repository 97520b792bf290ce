package com.dante.cacciaguida.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Loads the config: the built-in defaults, then the YAML file (written from the defaults when missing, as the
 * seed says), then {@code STORAGE_*} environment variables, each key path in upper case with {@code .} as
 * {@code _} ({@code STORAGE_SERVER_PORT}, {@code STORAGE_MINIO_ENDPOINT}).
 */
public final class ConfigLoader {

  /** The default config inside the jar: a copy of {@code conf/config.yaml}. */
  public static final String DEFAULTS_RESOURCE = "conf/config.yaml";
  public static final String DEFAULT_PATH = "conf/config.yaml";
  static final String ENV_PREFIX = "STORAGE_";

  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

  private ConfigLoader() {
  }

  /** Creates the file from the defaults when it does not exist. Runs before any event loop is involved. */
  public static void writeDefaultIfMissing(Path file) {
    if (Files.exists(file)) {
      return;
    }
    try (InputStream in = defaultsStream()) {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.copy(in, file);
      LOG.info("Config file {} not found; wrote the defaults there", file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write default config to " + file, e);
    }
  }

  /** Loads and validates the config; fails with a {@link ConfigException} naming the bad key. */
  public static Future<StorageConfig> load(Vertx vertx, Path file, Map<String, String> env) {
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
        .setScanPeriod(-1)
        .addStore(yaml(file)));
    return retriever.getConfig()
        .eventually(retriever::close)
        .map(fromFile -> {
          JsonObject merged = defaults().mergeIn(fromFile, true);
          applyEnvironment(merged, env);
          if (merged.getString("instance_id", "").isBlank()) {
            merged.put("instance_id", UUID.randomUUID().toString());
          }
          return StorageConfig.from(merged);
        });
  }

  /** The built-in defaults as a JSON tree. */
  public static JsonObject defaults() {
    try (InputStream in = defaultsStream()) {
      return YamlTree.parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Overrides every known key for which a {@code STORAGE_*} variable is set. */
  static void applyEnvironment(JsonObject config, Map<String, String> env) {
    Map<String, String> byVariable = new LinkedHashMap<>();
    collectPaths(defaults(), "", byVariable);
    env.forEach((name, value) -> {
      String path = byVariable.get(name.toUpperCase(Locale.ROOT));
      if (path != null) {
        put(config, path, value);
      } else if (name.startsWith(ENV_PREFIX)) {
        LOG.warn("Environment variable {} matches no config key; ignored", name);
      }
    });
  }

  private static void collectPaths(JsonObject node, String prefix, Map<String, String> out) {
    for (String field : node.fieldNames()) {
      String path = prefix + field;
      Object value = node.getValue(field);
      if (value instanceof JsonObject child) {
        collectPaths(child, path + ".", out);
      } else {
        out.put(ENV_PREFIX + path.toUpperCase(Locale.ROOT).replace('.', '_'), path);
      }
    }
  }

  private static void put(JsonObject root, String path, String value) {
    String[] parts = path.split("\\.");
    JsonObject node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonObject child = node.getJsonObject(parts[i]);
      if (child == null) {
        child = new JsonObject();
        node.put(parts[i], child);
      }
      node = child;
    }
    node.put(parts[parts.length - 1], value);
  }

  private static ConfigStoreOptions yaml(Path file) {
    return new ConfigStoreOptions().setType("file").setFormat("yaml")
        .setConfig(new JsonObject().put("path", file.toString()));
  }

  private static InputStream defaultsStream() {
    InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE);
    if (in == null) {
      throw new IllegalStateException("default config " + DEFAULTS_RESOURCE + " missing from the classpath");
    }
    return in;
  }
}
