package com.dante.cacciaguida.storage;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/** The answer to a presign request (API.md 4.3): {@code {"url","method","key","bucket","expiresAt"}}. */
@DataObject
public class PresignedUrl {

  private final String url;
  private final String method;
  private final String bucket;
  private final String key;
  private final Instant expiresAt;

  public PresignedUrl(String url, String method, String bucket, String key, Instant expiresAt) {
    this.url = url;
    this.method = method;
    this.bucket = bucket;
    this.key = key;
    this.expiresAt = expiresAt;
  }

  public PresignedUrl(JsonObject json) {
    this(json.getString("url"), json.getString("method"), json.getString("bucket"), json.getString("key"),
        Instant.parse(json.getString("expiresAt")));
  }

  public JsonObject toJson() {
    return new JsonObject().put("url", url).put("method", method).put("key", key).put("bucket", bucket)
        .put("expiresAt", expiresAt.toString());
  }

  public String getUrl() {
    return url;
  }

  public String getMethod() {
    return method;
  }

  public String getBucket() {
    return bucket;
  }

  public String getKey() {
    return key;
  }

  public Instant getExpiresAt() {
    return expiresAt;
  }
}
