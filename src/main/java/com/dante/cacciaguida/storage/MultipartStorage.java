package com.dante.cacciaguida.storage;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

import java.time.Instant;
import java.util.List;

/**
 * Multipart upload sessions (API.md 7), beside {@link ObjectStorage} on the same backend: an upload collects parts
 * in any order (re-sending a part replaces it) until {@link #complete} assembles them into the object atomically,
 * or {@link #abort} / {@link #expire} throw them away. Upload ids are opaque strings of {@code [A-Za-z0-9_-]}
 * that always contain {@code _} ({@link UploadIds}); an unknown or malformed one is {@code 404 NoSuchUpload}.
 */
public interface MultipartStorage {

  /** S3's minimum for every part but the last. */
  long MIN_PART_SIZE = 5L * 1024 * 1024;
  /** S3's maximum part size. */
  long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;
  int MAX_PARTS = 10_000;

  /** Opens an upload of {@code key} in an existing bucket; {@code contentType} may be null. */
  Future<Upload> create(String bucket, String key, String contentType);

  /**
   * Stores one part from a paused body, verified like a PUT body ({@link VerifyingStream}: length, Content-MD5,
   * X-Checksum-Sha256, at most {@code options.maxSize()}); a failed part leaves the previous one of that number.
   */
  Future<Part> uploadPart(String uploadId, int partNumber, ReadStream<Buffer> body, PutOptions options);

  /** The upload with its parts, by part number. */
  Future<Upload> listParts(String uploadId);

  /**
   * Assembles the parts into the object, atomically: until then the previous object stays readable. {@code parts}
   * null means every uploaded part in order. {@code sha256} (hex, or null) is the digest the whole object must
   * have. The object is stored at {@code targetKey}: the upload's own key, or the key the versioning layer chose
   * for a new version of it. Fails with {@code InvalidPart}, {@code InvalidPartOrder}, {@code EntityTooSmall} or
   * {@code BadDigest} leaving the upload open.
   */
  Future<ObjectInfo> complete(String uploadId, List<PartRef> parts, String sha256, String targetKey);

  /** Discards the upload and its parts. */
  Future<Void> abort(String uploadId);

  /** The open uploads of a bucket, without their parts. */
  Future<List<Upload>> listUploads(String bucket);

  /** Aborts every upload initiated before {@code olderThan}, also those a crashed instance left; answers how many. */
  Future<Integer> expire(Instant olderThan);

  /** How many uploads are open in the whole store (every bucket, every instance's): for the metrics gauge. */
  Future<Integer> countOpen();
}
