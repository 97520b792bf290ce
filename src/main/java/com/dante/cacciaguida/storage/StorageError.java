package com.dante.cacciaguida.storage;

/** The error codes of API.md 4.4, S3's names, each with its HTTP status. */
public enum StorageError {
  InvalidBucketName(400),
  InvalidObjectKey(400),
  InvalidArgument(400),
  InvalidRequest(400),
  IncompleteBody(400),
  BadDigest(400),
  InvalidPart(400),
  InvalidPartOrder(400),
  EntityTooSmall(400),
  Unauthorized(401),
  AccessDenied(403),
  SignatureDoesNotMatch(403),
  ExpiredPresignedUrl(403),
  NoSuchBucket(404),
  NoSuchKey(404),
  NoSuchUpload(404),
  NoSuchVersion(404),
  NoSuchLifecycleConfiguration(404),
  NotFound(404),
  MethodNotAllowed(405),
  BucketNotEmpty(409),
  Conflict(409),
  PreconditionFailed(412),
  EntityTooLarge(413),
  RequestURITooLong(414),
  InvalidRange(416),
  RequestHeaderSectionTooLarge(431),
  InternalError(500),
  NotImplemented(501),
  ServiceUnavailable(503);

  private final int status;

  StorageError(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }

  public StorageException exception(String message) {
    return new StorageException(this, message);
  }

  /** Whether {@code failure} is this error, also after it crossed the event bus. */
  public boolean is(Throwable failure) {
    StorageException error = StorageException.from(failure);
    return error != null && error.error() == this;
  }
}
