package com.dante.cacciaguida.storage.versioning;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A version id: 16 hex digits of the inverted creation time in microseconds (so ids sort newest first), 4 random
 * hex digits (two instances writing in the same microsecond) and one letter for the {@link Kind}. Opaque to
 * callers; the service reads the creation time and the kind back from it, so neither needs a lookup.
 *
 * @param id     the id as callers see it
 * @param micros creation time, microseconds since the epoch
 * @param kind   what the version is
 */
public record VersionId(String id, long micros, Kind kind) {

  /**
   * Content or delete marker, kept or "null" (written while versioning was suspended: replaced by the next
   * write of the key, as S3 replaces its null version).
   */
  public enum Kind {
    KEPT('v', false, false),
    NULL('n', false, true),
    MARKER('m', true, false),
    NULL_MARKER('x', true, true);

    private final char letter;
    private final boolean marker;
    private final boolean replaceable;

    Kind(char letter, boolean marker, boolean replaceable) {
      this.letter = letter;
      this.marker = marker;
      this.replaceable = replaceable;
    }

    public boolean marker() {
      return marker;
    }

    /** Written while suspended: the next write of the key removes it. */
    public boolean replaceable() {
      return replaceable;
    }

    static Kind of(boolean marker, boolean suspended) {
      return marker ? (suspended ? NULL_MARKER : MARKER) : (suspended ? NULL : KEPT);
    }

    private static Kind ofLetter(char letter) {
      for (Kind kind : values()) {
        if (kind.letter == letter) {
          return kind;
        }
      }
      return null;
    }
  }

  private static final int LENGTH = 21;
  private static final SecureRandom RANDOM = new SecureRandom();
  /** The last time handed out here: ids of one instance are strictly ordered even within a microsecond. */
  private static final AtomicLong LAST_MICROS = new AtomicLong();

  /** A new id, newer than every id this process made before. */
  public static VersionId next(Kind kind) {
    Instant now = Instant.now();
    long micros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    return at(LAST_MICROS.accumulateAndGet(micros, (last, candidate) -> Math.max(last + 1, candidate)), kind);
  }

  /** An id for a version created at {@code micros}. */
  public static VersionId at(long micros, Kind kind) {
    String id = String.format("%016x%04x%c", Long.MAX_VALUE - micros, RANDOM.nextInt(0x10000), kind.letter);
    return new VersionId(id, micros, kind);
  }

  /** The id, or null when {@code id} is not one of ours. */
  public static VersionId parse(String id) {
    if (id == null || id.length() != LENGTH) {
      return null;
    }
    for (int i = 0; i < LENGTH - 1; i++) {
      if (Character.digit(id.charAt(i), 16) < 0 || Character.isUpperCase(id.charAt(i))) {
        return null;
      }
    }
    Kind kind = Kind.ofLetter(id.charAt(LENGTH - 1));
    if (kind == null) {
      return null;
    }
    long inverted = Long.parseUnsignedLong(id.substring(0, 16), 16);
    if (inverted < 0) {
      return null;
    }
    return new VersionId(id, Long.MAX_VALUE - inverted, kind);
  }

  public Instant created() {
    return instantOf(micros);
  }

  static Instant instantOf(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000L);
  }
}
