package com.dante.cacciaguida.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The typed view of the service's configuration (API.md section 2). This is the one place where config key
 * names appear; everything else receives these values. {@link #from(JsonObject)} validates the whole tree, so a
 * bad value stops startup with one line naming the key and the value.
 */
public record StorageConfig(
    JsonObject json,
    String instanceId,
    String logLevel,
    Duration requestTimeout,
    Server server,
    Backend backend,
    Filesystem filesystem,
    Duration uploadsExpireAfter,
    Duration lifecycleSweepInterval,
    Presign presign,
    Consul consul,
    Minio minio,
    Cluster cluster,
    EventBus eventBus,
    Verticles verticles,
    Auth auth,
    Metrics metrics) {

  public enum Backend { FILESYSTEM, S3 }

  /**
   * @param idleTimeout   a connection with no traffic this long is closed; also the window over which
   *                      {@code minUploadRate} is measured
   * @param minUploadRate bytes per second an upload must average over each {@code idleTimeout} window (0: off)
   */
  public record Server(String host, int port, long maxUploadSize, Duration shutdownGrace, int instances,
                       Duration idleTimeout, long minUploadRate) {
  }

  public record Filesystem(Path root, boolean fsync) {
  }

  public record Presign(String secret, Duration maxExpiry) {
  }

  public record Consul(boolean enabled, String address, String token, Registration registration) {
  }

  public record Registration(String address, String serviceName, String idPrefix, List<String> tags,
                             String healthCheckPath, Duration interval, Duration timeout,
                             Duration deregisterAfter) {
  }

  public record Minio(String endpoint, String accessKeyId, String secretAccessKey, boolean useSsl, String region,
                      String publicEndpoint, String defaultBucket, boolean autoCreateDefaultBucket) {
  }

  public record Cluster(boolean enabled, String host, int port, String name, int hazelcastPort,
                        List<String> members) {
  }

  public record EventBus(String address, long maxInlineSize) {
  }

  public record Verticles(boolean http, boolean storage, int storageInstances) {
  }

  public record Auth(boolean enabled, String jwtAlgorithm, String jwtSecret, String jwtPublicKey, String jwtIssuer,
                     String jwtAudience, JsonArray apiKeys) {

    /** The static API keys, each with its scope (API.md 8); validated when the config is read. */
    public List<ApiKey> keys() {
      List<ApiKey> keys = new ArrayList<>();
      for (Object entry : apiKeys) {
        if (!(entry instanceof JsonObject o) || !(o.getValue("key") instanceof String key) || key.isBlank()
            || !(o.getValue("scope", "") instanceof String scope)) {
          throw new ConfigException("auth.apiKeys", String.valueOf(entry),
              "expected entries {key: \"...\", scope: \"read:* write:datasets\"}");
        }
        keys.add(new ApiKey(key, scope));
      }
      return keys;
    }
  }

  public record ApiKey(String key, String scope) {
  }

  public record Metrics(boolean enabled, String path) {
  }

  private static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "warn", "error");
  private static final Set<String> JWT_ALGORITHMS = Set.of("HS256", "RS256", "ES256");

  /** Validates and types the merged config tree. */
  public static StorageConfig from(JsonObject json) {
    ConfigReader r = new ConfigReader(json);

    String logLevel = r.string("log_level").toLowerCase(Locale.ROOT);
    if (!LOG_LEVELS.contains(logLevel)) {
      throw new ConfigException("log_level", logLevel, "expected one of trace, debug, info, warn, error");
    }
    Server server = new Server(
        nonEmpty(r, "server.host"),
        r.integer("server.port", 0, 65535),
        positive(r.size("server.maxUploadSize"), "server.maxUploadSize", r),
        r.duration("server.shutdownGrace"),
        r.integer("server.instances", 0, 1024),
        positive(r.duration("server.idleTimeout"), "server.idleTimeout", r),
        r.size("server.minUploadRate"));
    Backend backend = switch (r.string("storage.backend").toLowerCase(Locale.ROOT)) {
      case "filesystem" -> Backend.FILESYSTEM;
      case "s3", "minio" -> Backend.S3;
      default -> throw new ConfigException("storage.backend", r.string("storage.backend"),
          "expected filesystem or s3");
    };
    Filesystem filesystem = new Filesystem(Path.of(nonEmpty(r, "storage.filesystem.root")),
        r.bool("storage.filesystem.fsync"));
    Registration registration = new Registration(
        r.string("consul.registration.address"),
        nonEmpty(r, "consul.registration.serviceName"),
        r.string("consul.registration.idPrefix"),
        r.strings("consul.registration.tags"),
        path(r, "consul.registration.healthCheckPath"),
        r.duration("consul.registration.interval"),
        r.duration("consul.registration.timeout"),
        r.duration("consul.registration.deregisterAfter"));
    Consul consul = new Consul(r.bool("consul.enabled"), nonEmpty(r, "consul.address"), r.string("consul.token"),
        registration);
    Minio minio = new Minio(
        nonEmpty(r, "minio.endpoint"),
        r.string("minio.accessKeyID"),
        r.string("minio.secretAccessKey"),
        r.bool("minio.useSSL"),
        nonEmpty(r, "minio.region"),
        r.string("minio.publicEndpoint"),
        nonEmpty(r, "minio.defaultBucket"),
        r.bool("minio.autoCreateDefaultBucket"));
    Cluster cluster = new Cluster(
        r.bool("cluster.enabled"),
        nonEmpty(r, "cluster.host"),
        r.integer("cluster.port", 0, 65535),
        nonEmpty(r, "cluster.name"),
        r.integer("cluster.hazelcastPort", 1, 65535),
        r.strings("cluster.members"));
    EventBus eventBus = new EventBus(nonEmpty(r, "eventbus.address"),
        positive(r.size("eventbus.maxInlineSize"), "eventbus.maxInlineSize", r));
    Verticles verticles = new Verticles(r.bool("verticles.http"), r.bool("verticles.storage"),
        r.integer("verticles.storageInstances", 1, 1024));
    String algorithm = r.string("auth.jwt.algorithm").toUpperCase(Locale.ROOT);
    if (!JWT_ALGORITHMS.contains(algorithm)) {
      throw new ConfigException("auth.jwt.algorithm", algorithm, "expected HS256, RS256 or ES256");
    }
    Auth auth = new Auth(r.bool("auth.enabled"), algorithm, r.string("auth.jwt.secret"),
        r.string("auth.jwt.publicKey"), r.string("auth.jwt.issuer"), r.string("auth.jwt.audience"),
        r.array("auth.apiKeys"));
    auth.keys();
    Metrics metrics = new Metrics(r.bool("metrics.enabled"), path(r, "metrics.path"));

    return new StorageConfig(json, r.string("instance_id"), logLevel, positive(r.duration("request_timeout"),
        "request_timeout", r), server, backend, filesystem, r.duration("uploads.expireAfter"),
        positive(r.duration("lifecycle.sweepInterval"), "lifecycle.sweepInterval", r),
        new Presign(r.string("presign.secret"), positive(r.duration("presign.maxExpiry"), "presign.maxExpiry", r)),
        consul, minio, cluster, eventBus, verticles, auth, metrics);
  }

  /** The default bucket, for either backend (the seed keeps it under {@code minio}). */
  public String defaultBucket() {
    return minio.defaultBucket();
  }

  /** HTTP verticle instances: the configured count, or one per core. */
  public int httpInstances() {
    return server.instances() > 0 ? server.instances() : Runtime.getRuntime().availableProcessors();
  }

  private static String nonEmpty(ConfigReader r, String key) {
    String v = r.string(key);
    if (v.isEmpty()) {
      throw new ConfigException(key, v, "must not be empty");
    }
    return v;
  }

  private static String path(ConfigReader r, String key) {
    String v = nonEmpty(r, key);
    if (!v.startsWith("/")) {
      throw new ConfigException(key, v, "expected a path starting with /");
    }
    return v;
  }

  private static long positive(long v, String key, ConfigReader r) {
    if (v <= 0) {
      throw new ConfigException(key, r.raw(key), "must be greater than zero");
    }
    return v;
  }

  private static Duration positive(Duration v, String key, ConfigReader r) {
    if (v.isZero() || v.isNegative()) {
      throw new ConfigException(key, r.raw(key), "must be greater than zero");
    }
    return v;
  }
}
