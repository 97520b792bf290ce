package com.dante.cacciaguida.storage;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.serviceproxy.ServiceException;

/**
 * A failure of a storage operation: its failure code is the HTTP status and its message starts with the S3
 * error code ({@code "NoSuchKey: …"}), so it keeps its meaning after crossing the event bus as a plain
 * {@link ReplyException}. No stack trace is captured: these are answers, not bugs.
 *
 * <p>No default codec is registered for this class, on purpose: the event bus picks a reply's codec by its exact
 * class, and a {@code ReplyException} subclass without one goes out with vertx-core's own ReplyException codec
 * (failure code and message), which every node decodes. {@code ServiceException} itself has a codec of
 * vertx-service-proxy, unknown to callers without that jar.
 */
public class StorageException extends ServiceException {

  private final StorageError error;
  private final String detail;

  public StorageException(StorageError error, String detail) {
    super(error.status(), error.name() + ": " + detail);
    this.error = error;
    this.detail = detail;
  }

  public StorageError error() {
    return error;
  }

  /** The message without the leading error code. */
  public String detail() {
    return detail;
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }

  /**
   * Recovers the storage error of a failure that crossed the event bus (a {@link ReplyException} whose message
   * starts with an error code), or {@code null} when it is not one of ours.
   */
  public static StorageException from(Throwable failure) {
    if (failure instanceof StorageException se) {
      return se;
    }
    if (failure instanceof ReplyException re && re.getMessage() != null) {
      String message = re.getMessage();
      int colon = message.indexOf(':');
      if (colon > 0) {
        try {
          StorageError error = StorageError.valueOf(message.substring(0, colon));
          if (error.status() == re.failureCode()) {
            return new StorageException(error, message.substring(colon + 1).trim());
          }
        } catch (IllegalArgumentException notOurs) {
          return null;
        }
      }
    }
    return null;
  }
}
