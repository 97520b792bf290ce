package com.dante.cacciaguida.storage.fs;

import com.dante.cacciaguida.storage.ObjectInfo;
import com.dante.cacciaguida.storage.StorageError;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * The metadata at the start of every object file: {@value #SIZE} bytes of JSON padded with spaces, followed by the
 * content. A fixed size lets the content be written first (the digests are known only at the end) and the header
 * filled in afterwards, before the file is renamed into place, so a visible object always has a complete header.
 */
record ObjectHeader(String key, long size, String contentType, String etag, String sha256, long lastModifiedMillis) {

  static final int SIZE = 4096;
  private static final int VERSION = 1;

  ObjectInfo toInfo() {
    return new ObjectInfo(key, size, Instant.ofEpochMilli(lastModifiedMillis), contentType, etag, sha256);
  }

  /** The padded header; {@code 400 InvalidArgument} when the metadata does not fit. */
  ByteBuffer encode() {
    byte[] json = new JsonObject()
        .put("v", VERSION)
        .put("key", key)
        .put("size", size)
        .put("contentType", contentType)
        .put("etag", etag)
        .put("sha256", sha256)
        .put("lastModified", lastModifiedMillis)
        .encode().getBytes(StandardCharsets.UTF_8);
    if (json.length > SIZE) {
      throw StorageError.InvalidArgument.exception("The object's metadata (key and content type) is too large");
    }
    byte[] padded = Arrays.copyOf(json, SIZE);
    Arrays.fill(padded, json.length, SIZE, (byte) ' ');
    return ByteBuffer.wrap(padded);
  }

  /** Reads the header from the start of an open object file. */
  static ObjectHeader read(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(SIZE);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, buffer.position()) < 0) {
        throw new EOFException("Object file shorter than its header");
      }
    }
    return decode(buffer.array());
  }

  static ObjectHeader decode(byte[] bytes) throws IOException {
    try {
      JsonObject json = new JsonObject(new String(bytes, StandardCharsets.UTF_8).trim());
      return new ObjectHeader(json.getString("key"), json.getLong("size"), json.getString("contentType"),
          json.getString("etag"), json.getString("sha256"), json.getLong("lastModified"));
    } catch (DecodeException | ClassCastException | NullPointerException e) {
      throw new IOException("Corrupt object header", e);
    }
  }
}
