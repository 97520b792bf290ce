package com.dante.cacciaguida.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceInterceptor;

import java.util.Map;

/**
 * Checks a call's {@code action} header and argument types before the generated proxy handler sees it. The
 * generated handler casts arguments blindly and answers a bad cast, an unknown action or a missing body with a
 * {@code ServiceException}, whose codec a caller with only vertx-core cannot decode (it would wait for its
 * timeout instead). Refused here, such a call gets a plain {@code ReplyException}: {@code 400 InvalidArgument}.
 */
final class ActionGuard implements ServiceInterceptor {

  private enum Type { STRING, BOOLEAN, INTEGER, BASE64URL }

  /** Every operation of {@link StorageService} with its named arguments, all optional on the wire. */
  private static final Map<String, Map<String, Type>> ACTIONS = Map.of(
      "ensureBucket", Map.of("bucket", Type.STRING),
      "stat", Map.of("bucket", Type.STRING, "key", Type.STRING),
      "list", Map.of("bucket", Type.STRING, "prefix", Type.STRING, "recursive", Type.BOOLEAN,
          "maxKeys", Type.INTEGER, "startAfter", Type.STRING),
      "delete", Map.of("bucket", Type.STRING, "key", Type.STRING),
      "presign", Map.of("bucket", Type.STRING, "key", Type.STRING, "method", Type.STRING,
          "expiry", Type.STRING, "baseUrl", Type.STRING),
      "putObject", Map.of("bucket", Type.STRING, "key", Type.STRING, "contentType", Type.STRING,
          "data", Type.BASE64URL),
      "getObject", Map.of("bucket", Type.STRING, "key", Type.STRING));

  @Override
  public Future<Message<JsonObject>> intercept(Vertx vertx, Map<String, Object> context, Message<JsonObject> msg) {
    String action = msg.headers().get("action");
    Map<String, Type> arguments = action == null ? null : ACTIONS.get(action);
    if (arguments == null) {
      return refuse("Header action must name an operation, one of " + String.join(", ", ACTIONS.keySet()));
    }
    if (!(((Message<?>) msg).body() instanceof JsonObject body)) {
      return refuse("The body must be a JSON object of named arguments");
    }
    for (Map.Entry<String, Type> argument : arguments.entrySet()) {
      Object value = body.getValue(argument.getKey());
      if (value != null && !fits(argument.getValue(), value)) {
        return refuse(argument.getKey() + " must be " + describe(argument.getValue()));
      }
    }
    return Future.succeededFuture(msg);
  }

  private static boolean fits(Type type, Object value) {
    return switch (type) {
      case STRING -> value instanceof String;
      case BOOLEAN -> value instanceof Boolean;
      // bounded so that the generated handler's intValue() cannot wrap a huge number into range
      case INTEGER -> value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
          && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE;
      case BASE64URL -> value instanceof String s && isBase64Url(s);
    };
  }

  /** What {@code Buffer.fromJson} decodes: the URL-safe alphabet, padding optional. */
  private static boolean isBase64Url(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '=') {
      end--;
    }
    if (s.length() - end > 2 || end % 4 == 1 || (s.length() != end && s.length() % 4 != 0)) {
      return false;
    }
    for (int i = 0; i < end; i++) {
      char c = s.charAt(i);
      boolean alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_';
      if (!alphabet) {
        return false;
      }
    }
    return true;
  }

  private static String describe(Type type) {
    return switch (type) {
      case STRING -> "a string";
      case BOOLEAN -> "true or false";
      case INTEGER -> "an integer";
      case BASE64URL -> "base64url (the alphabet A-Z a-z 0-9 - _, padding optional)";
    };
  }

  private static Future<Message<JsonObject>> refuse(String message) {
    return Future.failedFuture(StorageError.InvalidArgument.exception(message));
  }
}
