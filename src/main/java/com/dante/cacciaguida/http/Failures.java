package com.dante.cacciaguida.http;

import com.dante.cacciaguida.storage.StorageError;
import com.dante.cacciaguida.storage.StorageException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns failures into HTTP answers: {@code {"error","message","requestId"}} with the status of
 * API.md 4.4. Unexpected failures are logged with their stack trace and answered {@code 500 InternalError}
 * without one. When the response head is already out, the connection is closed instead: the client sees a
 * broken transfer rather than a truncated body that looks complete.
 */
public final class Failures {

  private static final Logger LOG = LoggerFactory.getLogger(Failures.class);
  private static final String JSON = "application/json; charset=utf-8";

  private Failures() {
  }

  /** Route failure handler: {@code router.route().failureHandler(Failures::handle)}. */
  public static void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure == null) {
      send(ctx, statusError(ctx.statusCode()), null);
    } else {
      fail(ctx, failure);
    }
  }

  /** Answers {@code failure} as JSON (or closes the connection if the head was sent). */
  public static void fail(RoutingContext ctx, Throwable failure) {
    send(ctx, toStorageException(failure), failure);
  }

  public static void send(RoutingContext ctx, StorageException error) {
    send(ctx, error, null);
  }

  /**
   * {@code HttpServer.invalidRequestHandler}: a request the decoder refused gets {@code 414} (request line too
   * long), {@code 431} (headers too large) or {@code 400}, as JSON, and its connection is closed: after a framing
   * error nothing more on it can be trusted.
   */
  public static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    StorageException error;
    if (cause instanceof TooLongHttpLineException) {
      error = StorageError.RequestURITooLong.exception("The request line is too long");
    } else if (cause instanceof TooLongHttpHeaderException) {
      error = StorageError.RequestHeaderSectionTooLarge.exception("The request headers are too large");
    } else if (cause instanceof StrictRequestDecoder.AmbiguousLengthException) {
      error = StorageError.InvalidRequest.exception(cause.getMessage());
    } else {
      error = StorageError.InvalidRequest.exception("The request is not valid HTTP/1.1");
    }
    String requestId = RequestLog.newId(request);
    JsonObject body = new JsonObject()
        .put("error", error.error().name())
        .put("message", error.detail())
        .put("requestId", requestId);
    request.response()
        .setStatusCode(error.error().status())
        .putHeader("Content-Type", JSON)
        .putHeader(RequestLog.HEADER, requestId)
        .putHeader("Connection", "close")
        .end(body.toBuffer())
        .onComplete(done -> request.connection().close());
  }

  static StorageException toStorageException(Throwable failure) {
    StorageException known = StorageException.from(failure);
    if (known != null) {
      return known;
    }
    if (failure instanceof ReplyException re && (re.failureType() == ReplyFailure.TIMEOUT
        || re.failureType() == ReplyFailure.NO_HANDLERS)) {
      return StorageError.ServiceUnavailable.exception("The storage service did not answer in time");
    }
    if (failure instanceof HttpException he) {
      return statusError(he.getStatusCode());
    }
    return null;
  }

  private static void send(RoutingContext ctx, StorageException error, Throwable cause) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      // the client went away (or was already answered): nobody to tell
      return;
    }
    if (error == null) {
      LOG.error("Request {} {} failed", ctx.request().method(), ctx.request().path(), cause);
      error = StorageError.InternalError.exception("We encountered an internal error. Please try again.");
    }
    if (response.headWritten()) {
      ctx.request().connection().close();
      return;
    }
    JsonObject body = new JsonObject()
        .put("error", error.error().name())
        .put("message", error.detail())
        .put("requestId", RequestLog.requestId(ctx));
    response.setStatusCode(error.error().status())
        .putHeader("Content-Type", JSON);
    response.headers().remove("Content-Length").remove("ETag").remove("Last-Modified");
    if (!ctx.request().isEnded() && hasBody(ctx)) {
      // the body was not read: the connection cannot carry another request
      response.putHeader("Connection", "close");
    }
    if (error.error() == StorageError.Unauthorized) {
      response.putHeader("WWW-Authenticate", "Bearer");
    }
    response.end(body.toBuffer());
  }

  private static boolean hasBody(RoutingContext ctx) {
    String length = ctx.request().getHeader("Content-Length");
    return ctx.request().getHeader("Transfer-Encoding") != null || (length != null && !length.equals("0"));
  }

  private static StorageException statusError(int status) {
    return switch (status) {
      case 400 -> StorageError.InvalidArgument.exception("Bad request");
      case 401 -> StorageError.Unauthorized.exception("Authentication required");
      case 403 -> StorageError.AccessDenied.exception("Access denied");
      case 404 -> StorageError.NotFound.exception("No such route");
      case 405 -> StorageError.MethodNotAllowed.exception("The method is not allowed on this resource");
      case 413 -> StorageError.EntityTooLarge.exception("The request body is too large");
      case 503 -> StorageError.ServiceUnavailable.exception("The service could not answer in time");
      default -> status >= 500 || status < 400 ? null
          : StorageError.InvalidArgument.exception("Request failed with status " + status);
    };
  }
}
