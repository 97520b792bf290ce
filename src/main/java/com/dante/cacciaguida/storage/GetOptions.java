package com.dante.cacciaguida.storage;

import java.time.Instant;

/**
 * The conditions and range of a read (RFC 9110 sections 13 and 14).
 *
 * @param range             the requested range, or null for the whole object
 * @param ifMatch           {@code If-Match} header value, or null
 * @param ifNoneMatch       {@code If-None-Match} header value, or null
 * @param ifModifiedSince   {@code If-Modified-Since}, or null
 * @param ifUnmodifiedSince {@code If-Unmodified-Since}, or null
 * @param ifRange           {@code If-Range} (an ETag or an HTTP date), or null: when it does not match, the range
 *                          is ignored and the whole object is sent
 * @param headOnly          true for HEAD: no body will be read
 */
public record GetOptions(ByteRange range, String ifMatch, String ifNoneMatch, Instant ifModifiedSince,
                         Instant ifUnmodifiedSince, String ifRange, boolean headOnly) {

  public static GetOptions whole() {
    return new GetOptions(null, null, null, null, null, null, false);
  }
}
