package com.dante.cacciaguida.storage.versioning;

import com.dante.cacciaguida.config.ConfigValues;
import com.dante.cacciaguida.storage.ObjectNames;
import com.dante.cacciaguida.storage.StorageError;
import com.dante.cacciaguida.storage.StorageException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One lifecycle rule (API.md 9): under {@code prefix}, current objects older than {@code expireAfter} are deleted
 * and versions noncurrent for longer than {@code noncurrentExpireAfter} are removed; either may be null, not
 * both.
 */
public record LifecycleRule(String id, String prefix, Duration expireAfter, Duration noncurrentExpireAfter) {

  private static final int MAX_ID_LENGTH = 255;
  private static final int MAX_RULES = 1000;

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id).put("prefix", prefix);
    if (expireAfter != null) json.put("expireAfter", ConfigValues.formatDuration(expireAfter));
    if (noncurrentExpireAfter != null) {
      json.put("noncurrentExpireAfter", ConfigValues.formatDuration(noncurrentExpireAfter));
    }
    return json;
  }

  public static JsonArray toJson(List<LifecycleRule> rules) {
    JsonArray array = new JsonArray();
    rules.forEach(rule -> array.add(rule.toJson()));
    return array;
  }

  /** Validates a {@code {"rules":[…]}} body: {@code 400 InvalidArgument} naming what is wrong. */
  public static List<LifecycleRule> parseRules(JsonObject body) {
    Object value = body == null ? null : body.getValue("rules");
    if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_RULES) {
      throw invalid("Expected {\"rules\":[…]} with 1 to " + MAX_RULES + " rules");
    }
    List<LifecycleRule> rules = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Object item : array) {
      if (!(item instanceof JsonObject json)) {
        throw invalid("Each rule is a JSON object");
      }
      LifecycleRule rule = parse(json);
      if (!ids.add(rule.id())) {
        throw invalid("Rule id " + rule.id() + " is used twice");
      }
      rules.add(rule);
    }
    return List.copyOf(rules);
  }

  static LifecycleRule parse(JsonObject json) {
    Object id = json.getValue("id");
    if (!(id instanceof String text) || text.isBlank() || text.length() > MAX_ID_LENGTH) {
      throw invalid("A rule needs an id of 1 to " + MAX_ID_LENGTH + " characters");
    }
    Object prefix = json.getValue("prefix", "");
    if (!(prefix instanceof String prefixText)) {
      throw invalid("Rule " + text + ": prefix must be a string");
    }
    try {
      ObjectNames.validatePrefix(prefixText);
    } catch (StorageException e) {
      throw invalid("Rule " + text + ": " + e.detail());
    }
    Duration expire = duration(json, "expireAfter", text);
    Duration noncurrent = duration(json, "noncurrentExpireAfter", text);
    if (expire == null && noncurrent == null) {
      throw invalid("Rule " + text + " needs expireAfter or noncurrentExpireAfter");
    }
    return new LifecycleRule(text, prefixText, expire, noncurrent);
  }

  private static Duration duration(JsonObject json, String field, String ruleId) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    try {
      Duration d = ConfigValues.parseDuration((String) value);
      if (d.isZero() || d.isNegative() || d.toMillis() % 1000 != 0) {
        throw new IllegalArgumentException("not whole seconds");
      }
      return d;
    } catch (ClassCastException | IllegalArgumentException e) {
      throw invalid("Rule " + ruleId + ": " + field + " must be a duration of whole seconds or more, "
          + "such as 30s, 15m, 2h or 7d");
    }
  }

  private static StorageException invalid(String message) {
    return StorageError.InvalidArgument.exception(message);
  }
}
