package com.dante.cacciaguida.storage.versioning;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Version ids")
class VersionIdTest {

  @Test
  @DisplayName("Ids made one after another sort newest first, even within one microsecond")
  void newestFirst() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      ids.add(VersionId.next(VersionId.Kind.KEPT).id());
    }
    for (int i = 1; i < ids.size(); i++) {
      assertTrue(ids.get(i).compareTo(ids.get(i - 1)) < 0, ids.get(i) + " after " + ids.get(i - 1));
    }
  }

  @Test
  @DisplayName("An id gives back its creation time and kind; foreign strings are not ids")
  void parse() {
    VersionId marker = VersionId.at(1_764_000_000_123_456L, VersionId.Kind.MARKER);
    VersionId parsed = VersionId.parse(marker.id());
    assertEquals(marker, parsed);
    assertTrue(parsed.kind().marker());
    assertEquals(1_764_000_000_123_456L, parsed.micros());
    for (String foreign : new String[] {null, "", "null", "abc", marker.id().replace('m', 'q'),
        marker.id().toUpperCase(), "8" + marker.id().substring(1), marker.id() + "0"}) {
      assertNull(VersionId.parse(foreign), foreign);
    }
  }
}
