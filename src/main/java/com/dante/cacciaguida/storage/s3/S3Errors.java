package com.dante.cacciaguida.storage.s3;

import com.dante.cacciaguida.storage.StorageError;
import com.dante.cacciaguida.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns what the AWS SDK fails with into the API's {@link StorageException}s. An S3 error keeps its S3 code when
 * the API knows it ({@code NoSuchKey}, {@code InvalidBucketName}, {@code EntityTooLarge}…), else it is judged by
 * its status. A failure without an S3 answer (connection refused, timeout, reset) means the server is out of
 * reach: {@code 503 ServiceUnavailable}. Messages carry S3's words, never a stack trace.
 */
final class S3Errors {

  private static final Logger LOG = LoggerFactory.getLogger(S3Errors.class);

  private S3Errors() {
  }

  static StorageException map(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof StorageException se) {
      return se;
    }
    if (cause instanceof S3Exception s3) {
      return fromS3(s3);
    }
    if (cause instanceof SdkClientException || cause instanceof IOException) {
      return StorageError.ServiceUnavailable.exception("The S3 server cannot be reached: " + reason(cause));
    }
    LOG.error("Unexpected S3 backend failure", cause);
    return StorageError.InternalError.exception("We encountered an internal error. Please try again.");
  }

  /** A body that broke keeps its own error; a client that went away left an incomplete body. */
  static StorageException ofBody(Throwable cause) {
    return cause instanceof StorageException se ? se
        : StorageError.IncompleteBody.exception("The upload ended before its body was complete: " + cause.getMessage());
  }

  /** The S3 status of a failure, or -1 when S3 did not answer. */
  static int status(Throwable failure) {
    return unwrap(failure) instanceof S3Exception s3 ? s3.statusCode() : -1;
  }

  static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    // the SDK wraps a failure of our own request body (the client's upload broke a rule) in a client exception
    if (t instanceof SdkClientException && t.getCause() instanceof StorageException se) {
      return se;
    }
    return t;
  }

  private static StorageException fromS3(S3Exception e) {
    return e.awsErrorDetails() == null ? fromAnswer(e.statusCode(), null, null)
        : fromAnswer(e.statusCode(), e.awsErrorDetails().errorCode(), e.awsErrorDetails().errorMessage());
  }

  /** An S3 error answer: its status, and the code and message of its XML body (either may be null). */
  static StorageException fromAnswer(int status, String code, String s3Message) {
    String message = s3Message == null ? "S3 answered " + status : s3Message;
    StorageError known = known(code);
    if (known != null && known.status() == status) {
      return known.exception(message);
    }
    return switch (status) {
      case 400 -> StorageError.InvalidRequest.exception(message);
      case 403 -> StorageError.AccessDenied.exception(message);
      case 404 -> StorageError.NoSuchKey.exception("The specified key does not exist.");
      case 409 -> StorageError.Conflict.exception(message);
      case 412 -> StorageError.PreconditionFailed.exception("At least one of the preconditions you specified did not hold");
      case 413 -> StorageError.EntityTooLarge.exception(message);
      case 416 -> StorageError.InvalidRange.exception("The requested range is not satisfiable");
      case 501 -> StorageError.NotImplemented.exception(message);
      case 502, 503, 504 -> StorageError.ServiceUnavailable.exception("The S3 server is unavailable: " + message);
      default -> {
        LOG.warn("S3 answered {} {}: {}", status, code, message);
        yield StorageError.InternalError.exception("The S3 server failed: " + message);
      }
    };
  }

  private static StorageError known(String code) {
    if (code == null || code.isEmpty()) {
      return null;
    }
    try {
      return StorageError.valueOf(code);
    } catch (IllegalArgumentException notInTheApi) {
      return null;
    }
  }

  private static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.length() > 200 ? message.substring(0, 200) : message;
  }
}
