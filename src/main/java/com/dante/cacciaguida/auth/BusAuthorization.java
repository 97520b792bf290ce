package com.dante.cacciaguida.auth;

import com.dante.cacciaguida.storage.StorageError;
import com.dante.cacciaguida.storage.StorageException;
import com.dante.cacciaguida.storage.StorageService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceInterceptor;

import java.util.List;
import java.util.Map;

/**
 * Applies API.md 8 to event-bus callers of {@link StorageService} when auth is on: the message must carry a
 * bearer JWT ({@link StorageService#AUTH_TOKEN_HEADER}) or an API key ({@link StorageService#API_KEY_HEADER})
 * whose scope grants the operation (header {@code action}) on the bucket of the body (the default bucket when
 * absent). Failures reach the caller as {@code 401 "Unauthorized: …"} or {@code 403 "AccessDenied: …"}.
 * Operations this class does not know are refused, so a new one cannot slip through unchecked.
 */
public final class BusAuthorization implements ServiceInterceptor {

  private static final String ACTION_HEADER = "action";

  private final Authenticator authenticator;
  private final String defaultBucket;

  public BusAuthorization(Authenticator authenticator, String defaultBucket) {
    this.authenticator = authenticator;
    this.defaultBucket = defaultBucket;
  }

  @Override
  public Future<Message<JsonObject>> intercept(Vertx vertx, Map<String, Object> context,
                                               Message<JsonObject> message) {
    JsonObject body = message.body() == null ? new JsonObject() : message.body();
    String bucket = body.getValue("bucket") instanceof String b && !b.isEmpty() ? b : defaultBucket;
    return authenticate(message)
        .map(permissions -> {
          permissions.check(bucket, needed(message.headers().get(ACTION_HEADER), body));
          return message;
        })
        // the service-proxy machinery answers only ReplyExceptions; anything else would leave the caller waiting
        .recover(e -> Future.failedFuture(StorageException.from(e) != null ? StorageException.from(e)
            : StorageError.Unauthorized.exception("The credentials could not be verified")));
  }

  private Future<Permissions> authenticate(Message<JsonObject> message) {
    String token = message.headers().get(StorageService.AUTH_TOKEN_HEADER);
    if (token != null) {
      return authenticator.bearer(token);
    }
    String key = message.headers().get(StorageService.API_KEY_HEADER);
    if (key != null) {
      return authenticator.apiKey(key);
    }
    return Future.failedFuture(StorageError.Unauthorized.exception("The message carries no "
        + StorageService.AUTH_TOKEN_HEADER + " or " + StorageService.API_KEY_HEADER + " header"));
  }

  private static List<Action> needed(String action, JsonObject body) {
    if (action == null) {
      throw StorageError.AccessDenied.exception("The message names no action");
    }
    return switch (action) {
      case "ensureBucket" -> List.of(Action.ADMIN);
      case "stat", "getObject" -> List.of(Action.READ);
      case "list" -> List.of(Action.LIST);
      case "delete" -> List.of(Action.DELETE);
      case "putObject" -> List.of(Action.WRITE);
      case "presign" -> Permissions.neededToPresign(body.getValue("method") instanceof String m ? m : null);
      default -> throw StorageError.AccessDenied.exception("Unknown action " + action);
    };
  }
}
