package com.dante.cacciaguida.storage;

/**
 * A single byte range of a {@code Range: bytes=…} header: {@code first-last}, {@code first-} or the suffix
 * {@code -length}. {@link #resolve} turns it into an offset and length for an object of a given size.
 */
public record ByteRange(long first, long last, long suffixLength) {

  /** Offset and length within the object. */
  public record Slice(long offset, long length, long size) {
    public String contentRange() {
      return "bytes " + offset + "-" + (offset + length - 1) + "/" + size;
    }
  }

  /**
   * Parses a Range header; returns null when the header is absent or not a single bytes range (a server may
   * then ignore it and send the whole object, RFC 9110 14.2).
   */
  public static ByteRange parse(String header) {
    if (header == null || !header.startsWith("bytes=")) {
      return null;
    }
    String spec = header.substring(6).trim();
    int dash = spec.indexOf('-');
    if (dash < 0 || spec.indexOf(',') >= 0) {
      return null;
    }
    try {
      String a = spec.substring(0, dash).trim();
      String b = spec.substring(dash + 1).trim();
      if (a.isEmpty()) {
        long suffix = Long.parseLong(b);
        return suffix < 0 ? null : new ByteRange(-1, -1, suffix);
      }
      long first = Long.parseLong(a);
      long last = b.isEmpty() ? -1 : Long.parseLong(b);
      if (first < 0 || (last >= 0 && last < first)) {
        return null;
      }
      return new ByteRange(first, last, -1);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The slice of an object of {@code size} bytes; {@code 416 InvalidRange} when unsatisfiable. */
  public Slice resolve(long size) {
    if (suffixLength >= 0) {
      if (suffixLength == 0 || size == 0) {
        throw unsatisfiable(size);
      }
      long length = Math.min(suffixLength, size);
      return new Slice(size - length, length, size);
    }
    if (first >= size) {
      throw unsatisfiable(size);
    }
    long end = last < 0 ? size - 1 : Math.min(last, size - 1);
    return new Slice(first, end - first + 1, size);
  }

  /** The S3-style header form, for passing the range on to a backend. */
  public String toHeader() {
    if (suffixLength >= 0) {
      return "bytes=-" + suffixLength;
    }
    return "bytes=" + first + "-" + (last < 0 ? "" : last);
  }

  public static StorageException unsatisfiable(long size) {
    return StorageError.InvalidRange.exception("The requested range is not satisfiable (object size " + size + ")");
  }
}
