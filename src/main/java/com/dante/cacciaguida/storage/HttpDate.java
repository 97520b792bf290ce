package com.dante.cacciaguida.storage;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * HTTP dates ({@code Last-Modified}, {@code If-Modified-Since}) in RFC 1123 form. Formatting or parsing one costs
 * more than the rest of a small download's headers together, and one object tends to be read many times in a
 * row, so the last result of each is kept.
 */
public final class HttpDate {

  private record Formatted(long epochSecond, String text) {
  }

  private record Parsed(String text, Instant instant) {
  }

  private static volatile Formatted lastFormatted = new Formatted(0, format(0));
  private static volatile Parsed lastParsed = new Parsed("", null);

  private HttpDate() {
  }

  /** The date to the second, as HTTP headers carry it. */
  public static String format(Instant instant) {
    Formatted cached = lastFormatted;
    if (cached.epochSecond() == instant.getEpochSecond()) {
      return cached.text();
    }
    Formatted formatted = new Formatted(instant.getEpochSecond(), format(instant.getEpochSecond()));
    lastFormatted = formatted;
    return formatted.text();
  }

  /** The instant a header names, or null when absent or malformed (a malformed date is ignored, RFC 9110). */
  public static Instant parse(String value) {
    if (value == null) {
      return null;
    }
    Parsed cached = lastParsed;
    if (cached.text().equals(value)) {
      return cached.instant();
    }
    Instant instant;
    try {
      instant = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      instant = null;
    }
    lastParsed = new Parsed(value, instant);
    return instant;
  }

  private static String format(long epochSecond) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochSecond(epochSecond).atOffset(ZoneOffset.UTC));
  }
}
