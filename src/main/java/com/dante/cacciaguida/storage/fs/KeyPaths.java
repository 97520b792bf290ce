package com.dante.cacciaguida.storage.fs;

import com.dante.cacciaguida.storage.StorageError;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Maps keys onto the directory tree of a bucket. Each {@code /}-separated segment becomes one name: an object
 * {@code o<enc>}, a directory {@code d<enc>}, where {@code enc} keeps {@code [A-Za-z0-9._-]} (but not a leading
 * {@code .}) and percent-encodes every other UTF-8 byte, so {@code a} and {@code a/b} can both exist and no name
 * can be {@code .}, {@code ..} or hidden. A name longer than a filesystem allows becomes {@code O}/{@code D} plus
 * the segment's SHA-256; its real segment is then read from the object header or the directory's
 * {@value #HASHED_NAME_FILE} file. Names starting with {@code .} are internal and never part of a key.
 */
final class KeyPaths {

  static final String HASHED_NAME_FILE = ".name";
  private static final int MAX_NAME_BYTES = 255;

  static final char OBJECT = 'o';
  static final char DIRECTORY = 'd';
  static final char HASHED_OBJECT = 'O';
  static final char HASHED_DIRECTORY = 'D';

  private static final String HEX_UPPER = "0123456789ABCDEF";

  private KeyPaths() {
  }

  /** The object file of {@code key} under {@code bucketDir}; fails if it would leave the bucket. */
  static Path objectPath(Path bucketDir, String key) {
    int slash = key.lastIndexOf('/');
    Path dir = slash < 0 ? bucketDir : directoryPath(bucketDir, key.substring(0, slash + 1));
    return guard(bucketDir, dir.resolve(objectName(key.substring(slash + 1))));
  }

  /**
   * The directory holding the keys that start with {@code dirPrefix}, which is empty or ends with {@code /}
   * ({@code "a/b/"} is {@code da/db}).
   */
  static Path directoryPath(Path bucketDir, String dirPrefix) {
    Path dir = bucketDir;
    int start = 0;
    int slash;
    while ((slash = dirPrefix.indexOf('/', start)) >= 0) {
      dir = dir.resolve(directoryName(dirPrefix.substring(start, slash)));
      start = slash + 1;
    }
    return guard(bucketDir, dir);
  }

  private static String objectName(String segment) {
    return name(OBJECT, HASHED_OBJECT, segment);
  }

  static String directoryName(String segment) {
    return name(DIRECTORY, HASHED_DIRECTORY, segment);
  }

  static boolean isHashed(String fileName) {
    char kind = fileName.charAt(0);
    return kind == HASHED_OBJECT || kind == HASHED_DIRECTORY;
  }

  /** The segment an unhashed {@code o…}/{@code d…} name stands for. */
  static String decodeSegment(String fileName) {
    String encoded = fileName.substring(1);
    if (encoded.indexOf('%') < 0) {
      return encoded;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '%' && i + 2 < encoded.length()) {
        bytes.write(Integer.parseInt(encoded, i + 1, i + 3, 16));
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  static String encodeSegment(String segment) {
    byte[] utf8 = segment.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(utf8.length + 8);
    for (int i = 0; i < utf8.length; i++) {
      int c = utf8[i] & 0xff;
      boolean keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || c == '-' || (c == '.' && i > 0);
      if (keep) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX_UPPER.charAt(c >> 4)).append(HEX_UPPER.charAt(c & 0xf));
      }
    }
    return out.toString();
  }

  private static String sha256Hex(String segment) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(segment.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The last line of defence: whatever the encoding, nothing resolves outside the bucket directory. */
  static Path guard(Path bucketDir, Path path) {
    Path normalized = path.normalize();
    if (!normalized.startsWith(bucketDir.normalize())) {
      throw StorageError.InvalidObjectKey.exception("The object key leaves its bucket");
    }
    return normalized;
  }

  private static String name(char plain, char hashed, String segment) {
    String encoded = encodeSegment(segment);
    if (encoded.length() + 1 > MAX_NAME_BYTES) {
      return hashed + sha256Hex(segment);
    }
    return plain + encoded;
  }
}
