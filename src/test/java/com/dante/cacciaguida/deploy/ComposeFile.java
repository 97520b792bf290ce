package com.dante.cacciaguida.deploy;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** docker/docker-compose.yml as the tests read it: the services and their {@code STORAGE_*} environment. */
final class ComposeFile {

  static final Path PATH = Path.of("docker", "docker-compose.yml");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  private ComposeFile() {
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> load() throws IOException {
    try (Reader in = Files.newBufferedReader(PATH)) {
      return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> service(Map<String, Object> compose, String name) {
    return (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get(name);
  }

  /**
   * The service's {@code STORAGE_*} variables, compose's {@code ${NAME:-default}} replaced by its default; a
   * variable without a default is an error (the compose file must run as it is).
   */
  @SuppressWarnings("unchecked")
  static Map<String, String> storageEnvironment(Map<String, Object> service) {
    Map<String, String> env = new TreeMap<>();
    ((Map<String, Object>) service.get("environment")).forEach((name, value) -> {
      if (name.startsWith("STORAGE_")) {
        env.put(name, interpolate(name, String.valueOf(value)));
      }
    });
    return env;
  }

  private static String interpolate(String variable, String value) {
    Matcher m = VARIABLE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      if (m.group(2) == null) {
        throw new AssertionError(variable + " uses ${" + m.group(1) + "} without a default");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(2)));
    }
    return m.appendTail(out).toString();
  }
}
