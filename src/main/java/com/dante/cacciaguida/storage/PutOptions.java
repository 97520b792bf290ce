package com.dante.cacciaguida.storage;

/**
 * How to store one body.
 *
 * @param contentType    the stored content type (already resolved: header, guess or octet-stream)
 * @param contentLength  the declared length, or -1 when unknown (chunked)
 * @param maxSize        the most bytes accepted; more is {@code 413 EntityTooLarge}
 * @param contentMd5     base64 MD5 the body must have ({@code Content-MD5}), or null
 * @param sha256         hex SHA-256 the body must have ({@code X-Checksum-Sha256}), or null
 */
public record PutOptions(String contentType, long contentLength, long maxSize, String contentMd5, String sha256) {

  public boolean lengthKnown() {
    return contentLength >= 0;
  }
}
