package com.dante.cacciaguida.storage.fs;

import com.dante.cacciaguida.storage.ObjectInfo;
import com.dante.cacciaguida.storage.StorageError;
import com.dante.cacciaguida.storage.StorageException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The metadata at the start of every object file: {@value #SIZE} bytes of JSON padded with spaces, followed by the
 * content. A fixed size lets the content be written first (the digests are known only at the end) and the header
 * filled in afterwards, before the file is renamed into place, so a visible object always has a complete header.
 */
record ObjectHeader(String key, long size, String contentType, String etag, String sha256, long lastModifiedMillis) {

  static final int SIZE = 4096;
  private static final int VERSION = 1;
  private static final JsonFactory JSON = new JsonFactory();
  private static final byte[] PADDING = " ".repeat(SIZE).getBytes(StandardCharsets.US_ASCII);
  private static final String LONGEST_ETAG = '"' + "0".repeat(32) + '"';
  private static final String LONGEST_SHA256 = "0".repeat(64);

  ObjectInfo toInfo() {
    return new ObjectInfo(key, size, Instant.ofEpochMilli(lastModifiedMillis), contentType, etag, sha256);
  }

  /** The padded header; {@code 400 InvalidArgument} when the metadata does not fit. */
  ByteBuffer encode() {
    byte[] json = json();
    if (json.length > SIZE) {
      throw tooLarge();
    }
    return ByteBuffer.allocate(SIZE).put(json).put(PADDING, 0, SIZE - json.length).flip();
  }

  /**
   * Fails with {@code 400 InvalidArgument} when the header of an object under {@code key} with {@code contentType}
   * could not fit whatever its size, digests and time: checked before a put reads its body.
   */
  static void checkFits(String key, String contentType) {
    if (new ObjectHeader(key, Long.MAX_VALUE, contentType, LONGEST_ETAG, LONGEST_SHA256, Long.MAX_VALUE)
        .json().length > SIZE) {
      throw tooLarge();
    }
  }

  private static StorageException tooLarge() {
    return StorageError.InvalidArgument.exception("The object's metadata (key and content type) is too large");
  }

  private byte[] json() {
    ByteArrayBuilder bytes = new ByteArrayBuilder(512);
    try (JsonGenerator json = JSON.createGenerator(bytes)) {
      json.writeStartObject();
      json.writeNumberField("v", VERSION);
      json.writeStringField("key", key);
      json.writeNumberField("size", size);
      json.writeStringField("contentType", contentType);
      json.writeStringField("etag", etag);
      json.writeStringField("sha256", sha256);
      json.writeNumberField("lastModified", lastModifiedMillis);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("Encoding an object header in memory failed", e);
    }
    return bytes.toByteArray();
  }

  /** Reads the header from the start of an open object file. */
  static ObjectHeader read(FileChannel channel) throws IOException {
    return decode(FsObjectRead.readAt(channel, 0, SIZE));
  }

  /**
   * Parses the header's JSON with a streaming parser that stops at the end of the object: the padding is never
   * looked at, and no intermediate map is built (every read of an object decodes one).
   */
  static ObjectHeader decode(byte[] bytes) throws IOException {
    try (JsonParser parser = JSON.createParser(bytes, 0, Math.min(bytes.length, SIZE))) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw corrupt(null);
      }
      String key = null;
      String contentType = null;
      String etag = null;
      String sha256 = null;
      Long size = null;
      Long lastModified = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        switch (field) {
          case "key" -> key = text(parser);
          case "contentType" -> contentType = text(parser);
          case "etag" -> etag = text(parser);
          case "sha256" -> sha256 = text(parser);
          case "size" -> size = number(parser);
          case "lastModified" -> lastModified = number(parser);
          default -> parser.skipChildren();
        }
      }
      if (parser.currentToken() != JsonToken.END_OBJECT || key == null || size == null || lastModified == null) {
        throw corrupt(null);
      }
      return new ObjectHeader(key, size, contentType, etag, sha256, lastModified);
    } catch (JsonProcessingException e) {
      throw corrupt(e);
    }
  }

  private static String text(JsonParser parser) throws IOException {
    return switch (parser.currentToken()) {
      case VALUE_STRING -> parser.getText();
      case VALUE_NULL -> null;
      default -> throw corrupt(null);
    };
  }

  private static Long number(JsonParser parser) throws IOException {
    if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
      throw corrupt(null);
    }
    return parser.getLongValue();
  }

  private static IOException corrupt(Exception cause) {
    return new IOException("Corrupt object header", cause);
  }
}
