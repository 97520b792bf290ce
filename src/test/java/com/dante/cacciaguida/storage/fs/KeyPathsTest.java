package com.dante.cacciaguida.storage.fs;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyPathsTest {

  private final Path bucket = Path.of("/data/bucket");

  @Test
  @DisplayName("segments keep [A-Za-z0-9._-] and percent-encode the rest, a leading dot included")
  void encoding() {
    assertEquals("a-b_C.9", KeyPaths.encodeSegment("a-b_C.9"));
    assertEquals("%2E.", KeyPaths.encodeSegment(".."));
    assertEquals("%2Ehidden", KeyPaths.encodeSegment(".hidden"));
    assertEquals("a%20b%25%2B%C3%A9", KeyPaths.encodeSegment("a b%+é"));
    for (String segment : new String[] {"..", ".x", "a b%+é", "日本", "", "%2F"}) {
      assertEquals(segment, KeyPaths.decodeSegment("o" + KeyPaths.encodeSegment(segment)));
    }
  }

  @Test
  @DisplayName("a key maps to d-directories and an o-file; segments over 255 bytes become hashed names")
  void paths() {
    assertEquals(Path.of("/data/bucket/da/db/oc.txt"), KeyPaths.objectPath(bucket, "a/b/c.txt"));
    assertEquals(Path.of("/data/bucket/da/o"), KeyPaths.objectPath(bucket, "a/"));
    assertEquals(Path.of("/data/bucket/da/d/ob"), KeyPaths.objectPath(bucket, "a//b"));
    assertEquals(Path.of("/data/bucket/o%2E."), KeyPaths.objectPath(bucket, ".."));

    String name = KeyPaths.objectPath(bucket, "x".repeat(255)).getFileName().toString();
    assertTrue(name.matches("O[0-9a-f]{64}"), name);
    assertEquals("o" + "x".repeat(254), KeyPaths.objectPath(bucket, "x".repeat(254)).getFileName().toString());
    String dir = KeyPaths.objectPath(bucket, "é".repeat(100) + "/f").getParent().getFileName().toString();
    assertTrue(dir.matches("D[0-9a-f]{64}"), dir);
  }
}
