package com.dante.cacciaguida.storage.versioning;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * What the service keeps about a bucket (stored in the bucket itself, {@link VersionKeys#SETTINGS}): its
 * versioning status and lifecycle rules ({@code null}: none configured).
 */
public record BucketSettings(Status versioning, List<LifecycleRule> rules) {

  /** Versioning status: {@code Off} until enabled once, then {@code Enabled} or {@code Suspended}. */
  public enum Status {
    Off, Enabled, Suspended;

    /** The status a caller may set, or null. */
    public static Status settable(String text) {
      return "Enabled".equals(text) ? Enabled : "Suspended".equals(text) ? Suspended : null;
    }
  }

  public static final BucketSettings NONE = new BucketSettings(Status.Off, null);

  /** Versions are kept or were kept: every write goes through the versions area. */
  public boolean versioned() {
    return versioning != Status.Off;
  }

  public BucketSettings withVersioning(Status status) {
    return new BucketSettings(status, rules);
  }

  public BucketSettings withRules(List<LifecycleRule> newRules) {
    return new BucketSettings(versioning, newRules);
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("versioning", versioning.name());
    if (rules != null) {
      json.put("rules", LifecycleRule.toJson(rules));
    }
    return json;
  }

  static BucketSettings fromJson(JsonObject json) {
    Status status = Status.valueOf(json.getString("versioning", Status.Off.name()));
    JsonArray array = json.getJsonArray("rules");
    List<LifecycleRule> rules = null;
    if (array != null) {
      rules = new ArrayList<>();
      for (int i = 0; i < array.size(); i++) {
        rules.add(LifecycleRule.parse(array.getJsonObject(i)));
      }
      rules = List.copyOf(rules);
    }
    return new BucketSettings(status, rules);
  }
}
