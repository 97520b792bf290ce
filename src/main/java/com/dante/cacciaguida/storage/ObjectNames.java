package com.dante.cacciaguida.storage;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.regex.Pattern;

/**
 * Bucket and key rules of API.md 3. Keys are checked after one round of percent-decoding, so that no spelling
 * of {@code ..} can reach a backend.
 */
public final class ObjectNames {

  public static final int MAX_KEY_BYTES = 1024;

  /** S3's key order: by Unicode code point, which is the order of the UTF-8 bytes. */
  public static final Comparator<String> KEY_ORDER = ObjectNames::compareCodePoints;

  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private ObjectNames() {
  }

  public static String validateBucket(String bucket) {
    if (bucket == null || !BUCKET.matcher(bucket).matches() || bucket.contains("..")
        || IP_ADDRESS.matcher(bucket).matches()) {
      throw StorageError.InvalidBucketName.exception("The specified bucket is not valid: " + bucket);
    }
    return bucket;
  }

  public static String validateKey(String key) {
    if (key == null || key.isEmpty()) {
      throw invalidKey("The object key is empty");
    }
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      throw invalidKey("The object key is longer than 1024 bytes");
    }
    if (key.startsWith("/")) {
      throw invalidKey("The object key starts with /");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
        throw invalidKey("The object key contains a control character");
      }
      if (Character.isSurrogate(c)) {
        if (!Character.isHighSurrogate(c) || i + 1 >= key.length() || !Character.isLowSurrogate(key.charAt(i + 1))) {
          throw invalidKey("The object key is not valid UTF-8");
        }
        i++;
      }
    }
    for (String segment : key.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        throw invalidKey("The object key has a . or .. segment");
      }
    }
    return key;
  }

  /** A listing prefix: any string a key could start with ({@code ..} segments included cannot escape). */
  public static String validatePrefix(String prefix) {
    if (prefix == null) {
      return "";
    }
    if (prefix.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES || prefix.chars().anyMatch(c -> c < 0x20)) {
      throw StorageError.InvalidArgument.exception("The prefix is not valid");
    }
    return prefix;
  }

  /**
   * Decodes percent-encoding once (a raw path segment): {@code %2F} is {@code /}, {@code +} stays a plus,
   * {@code %252e} becomes {@code %2e}. Malformed escapes or invalid UTF-8 are {@code 400 InvalidObjectKey}.
   */
  public static String percentDecode(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          throw invalidKey("Malformed percent-encoding");
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw invalidKey("Malformed percent-encoding");
        }
        bytes.write((hi << 4) | lo);
        i += 2;
      } else {
        byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < raw.length()) {
          utf8 = raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        bytes.writeBytes(utf8);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw invalidKey("The object key is not valid UTF-8");
    }
  }

  /** Percent-encodes a key for use in a URL path, keeping {@code /} and unreserved characters. */
  public static String encodePath(String key) {
    StringBuilder out = new StringBuilder(key.length() + 16);
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  private static StorageException invalidKey(String message) {
    return StorageError.InvalidObjectKey.exception(message);
  }
}
