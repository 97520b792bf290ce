package com.dante.cacciaguida.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * HTTP dates ({@code Last-Modified}) in RFC 1123 form. Formatting costs more than the rest of a small download's
 * headers together, and one object tends to be read many times in a row, so the last result is kept.
 */
final class HttpDate {

  private record Formatted(long epochSecond, String text) {
  }

  private static volatile Formatted last = new Formatted(0, format(0));

  private HttpDate() {
  }

  static String format(Instant instant) {
    Formatted cached = last;
    if (cached.epochSecond() == instant.getEpochSecond()) {
      return cached.text();
    }
    Formatted formatted = new Formatted(instant.getEpochSecond(), format(instant.getEpochSecond()));
    last = formatted;
    return formatted.text();
  }

  private static String format(long epochSecond) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochSecond(epochSecond).atOffset(ZoneOffset.UTC));
  }
}
