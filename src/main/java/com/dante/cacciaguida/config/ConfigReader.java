package com.dante.cacciaguida.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads typed values out of the merged config tree by dotted key path. Values from environment variables
 * arrive as strings, so numbers and booleans are accepted in either form. A value that cannot be used throws
 * a {@link ConfigException} naming the key and the value.
 */
final class ConfigReader {

  private final JsonObject root;

  ConfigReader(JsonObject root) {
    this.root = root;
  }

  Object raw(String path) {
    JsonObject node = root;
    String[] parts = path.split("\\.");
    for (int i = 0; i < parts.length - 1; i++) {
      Object child = node.getValue(parts[i]);
      if (!(child instanceof JsonObject)) {
        return null;
      }
      node = (JsonObject) child;
    }
    return node.getValue(parts[parts.length - 1]);
  }

  String string(String path) {
    Object v = raw(path);
    return v == null ? "" : v.toString().trim();
  }

  boolean bool(String path) {
    Object v = raw(path);
    if (v instanceof Boolean b) {
      return b;
    }
    String s = v == null ? "" : v.toString().trim();
    if (s.equalsIgnoreCase("true")) return true;
    if (s.equalsIgnoreCase("false")) return false;
    throw new ConfigException(path, v, "expected true or false");
  }

  int integer(String path, int min, int max) {
    long n = parse(path, s -> Long.parseLong(s.trim()), "expected an integer");
    if (n < min || n > max) {
      throw new ConfigException(path, raw(path), "expected an integer from " + min + " to " + max);
    }
    return (int) n;
  }

  Duration duration(String path) {
    return parse(path, ConfigValues::parseDuration, "expected a duration such as 500ms, 15s, 15m, 2h or 7d");
  }

  long size(String path) {
    return parse(path, ConfigValues::parseSize, "expected a size such as 512, 64KB or 5GB");
  }

  List<String> strings(String path) {
    Object v = raw(path);
    List<String> out = new ArrayList<>();
    if (v instanceof JsonArray array) {
      array.forEach(item -> out.add(String.valueOf(item).trim()));
    } else if (v != null) {
      String s = v.toString().trim();
      if (s.startsWith("[")) {
        new JsonArray(s).forEach(item -> out.add(String.valueOf(item).trim()));
      } else {
        for (String part : s.split(",")) {
          if (!part.isBlank()) out.add(part.trim());
        }
      }
    }
    out.removeIf(String::isEmpty);
    return List.copyOf(out);
  }

  JsonArray array(String path) {
    Object v = raw(path);
    if (v == null) return new JsonArray();
    if (v instanceof JsonArray a) return a;
    try {
      return new JsonArray(v.toString());
    } catch (RuntimeException e) {
      throw new ConfigException(path, v, "expected a list");
    }
  }

  <T> T parse(String path, Function<String, T> parser, String expectation) {
    Object v = raw(path);
    if (v == null) {
      throw new ConfigException(path, "", expectation);
    }
    try {
      return parser.apply(v.toString());
    } catch (RuntimeException e) {
      throw new ConfigException(path, v, expectation);
    }
  }
}
