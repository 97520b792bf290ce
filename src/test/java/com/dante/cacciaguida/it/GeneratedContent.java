package com.dante.cacciaguida.it;

/** Large test bodies generated on the fly instead of stored: cheap to make, different at every offset. */
final class GeneratedContent {

  private GeneratedContent() {
  }

  /**
   * Fills {@code chunk} with the content at {@code offset} (a xorshift stream seeded by the offset), so a reordered
   * or repeated chunk changes the digest. Offsets must be chunk-aligned to reproduce the same bytes.
   */
  static void fill(byte[] chunk, long offset) {
    long x = offset * 0x9E3779B97F4A7C15L + 1;
    for (int i = 0; i < chunk.length; i += 8) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      for (int b = 0; b < 8; b++) {
        chunk[i + b] = (byte) (x >>> (b * 8));
      }
    }
  }
}
