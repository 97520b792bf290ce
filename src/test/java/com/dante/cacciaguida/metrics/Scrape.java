package com.dante.cacciaguida.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A Prometheus text exposition parsed into samples, for asserting on series, labels and values. */
final class Scrape {

  record Sample(String name, Map<String, String> labels, double value) {
  }

  private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)(?: \\S+)?");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  private final List<Sample> samples;

  private Scrape(List<Sample> samples) {
    this.samples = samples;
  }

  static Scrape parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) {
        throw new AssertionError("not a sample line: " + line);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
    }
    return new Scrape(samples);
  }

  List<Sample> samples() {
    return samples;
  }

  /** The samples of a series whose labels include all of {@code labels} (name, value, name, value...). */
  List<Sample> find(String name, String... labels) {
    List<Sample> found = new ArrayList<>();
    for (Sample s : samples) {
      if (s.name().equals(name) && matches(s.labels(), labels)) {
        found.add(s);
      }
    }
    return found;
  }

  /** The sum of the matching samples' values; fails when there is none. */
  double sum(String name, String... labels) {
    List<Sample> found = find(name, labels);
    assertFalse(found.isEmpty(), () -> "no series " + name + " " + String.join(",", labels));
    return found.stream().mapToDouble(Sample::value).sum();
  }

  /** The single matching sample's value. */
  double value(String name, String... labels) {
    List<Sample> found = find(name, labels);
    assertEquals(1, found.size(), () -> "series " + name + " " + String.join(",", labels) + ": " + found);
    return found.get(0).value();
  }

  private static boolean matches(Map<String, String> actual, String... expected) {
    for (int i = 0; i < expected.length; i += 2) {
      if (!expected[i + 1].equals(actual.get(expected[i]))) {
        return false;
      }
    }
    return true;
  }
}
