package com.dante.cacciaguida.config;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.InputStream;
import java.util.Map;

/** Parses a YAML document into a JSON tree with the same YAML library vertx-config-yaml uses. */
final class YamlTree {

  private YamlTree() {
  }

  static JsonObject parse(InputStream in) {
    Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    // encode and decode so nested maps and lists become JsonObject and JsonArray all the way down
    return doc instanceof Map<?, ?> map ? new JsonObject(Json.encode(map)) : new JsonObject();
  }
}
