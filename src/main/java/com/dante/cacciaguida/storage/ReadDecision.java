package com.dante.cacciaguida.storage;

import java.time.Instant;

/**
 * What a read answers, decided from the object's metadata and the request's conditions and range in the order
 * of RFC 9110 13.2.2: If-Match / If-Unmodified-Since ({@code 412}), If-None-Match / If-Modified-Since
 * ({@code 304}), then Range guarded by If-Range ({@code 206}, {@code 416}, or the whole object).
 */
public record ReadDecision(int status, ByteRange.Slice slice) {

  public static ReadDecision decide(ObjectInfo info, GetOptions options) {
    String etag = info.getEtag();
    Instant modified = info.getLastModified();
    if (options.ifMatch() != null) {
      if (!matchesAny(options.ifMatch(), etag)) {
        throw StorageError.PreconditionFailed.exception("If-Match does not match the object's ETag");
      }
    } else if (options.ifUnmodifiedSince() != null && modified != null
        && modified.isAfter(options.ifUnmodifiedSince())) {
      throw StorageError.PreconditionFailed.exception("The object was modified after If-Unmodified-Since");
    }
    ByteRange.Slice whole = new ByteRange.Slice(0, info.getSize(), info.getSize());
    if (options.ifNoneMatch() != null) {
      if (matchesAny(options.ifNoneMatch(), etag)) {
        return new ReadDecision(304, whole);
      }
    } else if (options.ifModifiedSince() != null && modified != null
        && !modified.isAfter(options.ifModifiedSince())) {
      return new ReadDecision(304, whole);
    }
    if (options.range() == null || !ifRangeHolds(options.ifRange(), etag, modified)) {
      return new ReadDecision(200, whole);
    }
    return new ReadDecision(206, options.range().resolve(info.getSize()));
  }

  private static boolean ifRangeHolds(String ifRange, String etag, Instant modified) {
    if (ifRange == null) {
      return true;
    }
    String value = ifRange.trim();
    if (value.startsWith("\"") || value.startsWith("W/")) {
      return !value.startsWith("W/") && value.equals(etag);
    }
    Instant date = HttpDate.parse(value);
    return date != null && modified != null && date.equals(modified);
  }

  /** Strong comparison against a list of entity tags ({@code *} matches any existing object). */
  private static boolean matchesAny(String header, String etag) {
    for (String candidate : header.split(",")) {
      String c = candidate.trim();
      if (c.equals("*")) {
        return true;
      }
      if (c.startsWith("W/")) {
        c = c.substring(2);
      }
      if (!c.startsWith("\"")) {
        c = "\"" + c + "\"";
      }
      if (c.equals(etag)) {
        return true;
      }
    }
    return false;
  }
}
