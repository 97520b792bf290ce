package com.dante.cacciaguida.storage;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * An object opened for reading, after conditions and range were evaluated. Exactly one of {@link #sendTo} or
 * {@link #close} must be called; both release what the read holds (file, connection).
 */
public interface ObjectRead {

  ObjectInfo info();

  /** 200 (whole object), 206 (a range: see {@link #slice}) or 304 (not modified: nothing to send). */
  int status();

  /** The part being sent: the whole object for 200, the range for 206. */
  ByteRange.Slice slice();

  /**
   * Writes the content into the response, whose status and headers the caller has set, with backpressure (or
   * zero-copy file sending), and ends it.
   */
  Future<Void> sendTo(HttpServerResponse response);

  /** Reads the slice into memory (inline event-bus reads of small objects only), then releases the read. */
  Future<Buffer> readAll();

  /** Releases the read without sending (HEAD, 304, or an error before sending). */
  Future<Void> close();
}
