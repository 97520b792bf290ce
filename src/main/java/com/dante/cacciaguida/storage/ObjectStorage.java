package com.dante.cacciaguida.storage;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

import java.util.List;

/**
 * A storage backend (the seed's {@code ObjectStorage}): the filesystem under a root directory, or an S3 server.
 * Names arrive validated ({@link ObjectNames}). Every method returns without blocking the calling event loop,
 * and failures are {@link StorageException}s carrying the API's error codes. Object bytes are streamed, never
 * held whole: {@link #put} consumes a paused {@link ReadStream} with backpressure and {@link #get} hands back an
 * {@link ObjectRead} that streams (or sends a file) into the response.
 */
public interface ObjectStorage {

  /** Connects (a connection test), tidies what a crash left behind. May fail: the service stays up, DOWN. */
  Future<Void> start();

  /** Releases clients and files. */
  Future<Void> close();

  /** Creates the bucket if it does not exist; an existing bucket is fine. */
  Future<Void> ensureBucket(String bucket);

  /**
   * Stores the body atomically: readers see the previous object or the whole new one. The body must be paused;
   * the backend resumes it. On any failure (client gone, too large, digest mismatch, short body) nothing is
   * stored and the previous object stays.
   */
  Future<ObjectInfo> put(String bucket, String key, ReadStream<Buffer> body, PutOptions options);

  /**
   * Opens the object for reading, evaluating conditions and range. Fails {@code 404 NoSuchKey},
   * {@code 412 PreconditionFailed} or {@code 416 InvalidRange}; a not-modified read has status 304.
   */
  Future<ObjectRead> get(String bucket, String key, GetOptions options);

  /** The object's metadata without its content. */
  Future<ObjectInfo> stat(String bucket, String key);

  /** Deletes the object; a missing key succeeds, a missing bucket is {@code 404 NoSuchBucket}. */
  Future<Void> delete(String bucket, String key);

  /** One page of the listing, sorted by key, at most {@link ListQuery#maxKeys()} entries. */
  Future<List<ObjectInfo>> list(String bucket, ListQuery query);

  /** A presigned URL for the object. */
  Future<PresignedUrl> presign(String bucket, String key, PresignRequest request);

  /** Health: the backend answers; with {@code deep}, a write/read/delete probe that leaves nothing visible. */
  Future<Void> check(boolean deep);
}
