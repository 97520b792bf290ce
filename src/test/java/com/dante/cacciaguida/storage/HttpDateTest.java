package com.dante.cacciaguida.storage;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class HttpDateTest {

  private static final Instant CANTO = Instant.parse("2026-11-28T21:04:05Z");
  private static final Instant LATER = Instant.parse("2027-01-02T03:04:05Z");

  @Test
  void formatsToTheSecondInRfc1123() {
    assertEquals("Sat, 28 Nov 2026 21:04:05 GMT", HttpDate.format(CANTO.plusMillis(999)));
    assertEquals("Sat, 2 Jan 2027 03:04:05 GMT", HttpDate.format(LATER));
    assertEquals("Sat, 28 Nov 2026 21:04:05 GMT", HttpDate.format(CANTO));
  }

  @Test
  void parsesWhatItFormatsWhicheverCameLast() {
    assertEquals(CANTO, HttpDate.parse("Sat, 28 Nov 2026 21:04:05 GMT"));
    assertEquals(LATER, HttpDate.parse("Sat, 2 Jan 2027 03:04:05 GMT"));
    assertEquals(CANTO, HttpDate.parse("Sat, 28 Nov 2026 21:04:05 GMT"));
    assertEquals(LATER, HttpDate.parse(HttpDate.format(LATER)));
  }

  @Test
  void malformedOrAbsentIsNull() {
    assertNull(HttpDate.parse(null));
    assertNull(HttpDate.parse("yesterday"));
    assertNull(HttpDate.parse("yesterday"));
    assertNull(HttpDate.parse("2026-11-28T21:04:05Z"));
  }
}
