package com.dante.cacciaguida.http;

import com.dante.cacciaguida.auth.Action;
import com.dante.cacciaguida.auth.Authenticator;
import com.dante.cacciaguida.auth.Permissions;
import com.dante.cacciaguida.storage.StorageError;
import com.dante.cacciaguida.storage.StorageService;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.function.Function;

/**
 * The one authorization step of the HTTP API (API.md 8). The route table gives every route an access rule:
 * {@link #open}, {@link #require} an action on the request's bucket, or {@link #requirePresign}. The rule is
 * kept as route metadata and {@link #verifyCovered} refuses a router with a route that has none, so a route
 * added later cannot be served unchecked. With auth off the rules are recorded but cost nothing per request.
 * <p>
 * A request authorised by its presigned URL ({@link PresignedAccess#PRESIGNED}) needs no credentials. Otherwise
 * {@code Authorization: Bearer <JWT>} or {@code X-Api-Key} is required ({@code 401}), and its scope must grant
 * the rule's action on the bucket ({@code 403}). The credentials are kept for the request's event-bus calls
 * ({@link CallerStorage}), where the storage verticle checks them again.
 */
public final class Authorization {

  /** Route-metadata key of the access rule. */
  public static final String RULE = "access";
  private static final String OPEN = "open";
  private static final String BEARER = "Bearer ";
  private static final String API_KEY = "X-Api-Key";

  private final Authenticator authenticator;

  private Authorization(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  /** Auth off: every route is open, the rules are only recorded. */
  public static Authorization disabled() {
    return new Authorization(null);
  }

  public static Authorization enabled(Authenticator authenticator) {
    return new Authorization(authenticator);
  }

  /** A route that needs no credentials (health, metrics). */
  public Route open(Route route) {
    return route.putMetadata(RULE, OPEN);
  }

  /** A route that needs {@code action} on the bucket {@code bucketOf} finds in the request. */
  public Route require(Route route, Action action, Function<RoutingContext, String> bucketOf) {
    return guard(route, action.scopeName(), bucketOf, ctx -> List.of(action));
  }

  /**
   * Creating a presigned URL: {@code presign} plus the permission of the URL's method, read from the JSON body
   * (so a body handler must come first).
   */
  public Route requirePresign(Route route, Function<RoutingContext, String> bucketOf) {
    return guard(route, Action.PRESIGN.scopeName(), bucketOf,
        ctx -> Permissions.neededToPresign(PresignHandler.body(ctx).getString("method")));
  }

  /** Fails when a route of {@code router} has no access rule. */
  public static void verifyCovered(Router router) {
    for (Route route : router.getRoutes()) {
      boolean matchesSomething = route.getPath() != null || route.isRegexPath()
          || (route.methods() != null && !route.methods().isEmpty());
      if (matchesSomething && route.getMetadata(RULE) == null) {
        throw new IllegalStateException("Route " + route.methods() + " " + route.getPath()
            + " has no access rule: declare it with Authorization.open or require");
      }
    }
  }

  private Route guard(Route route, String rule, Function<RoutingContext, String> bucketOf,
                      Function<RoutingContext, List<Action>> needed) {
    route.putMetadata(RULE, rule);
    return authenticator == null ? route : route.handler(ctx -> authorize(ctx, bucketOf, needed));
  }

  private void authorize(RoutingContext ctx, Function<RoutingContext, String> bucketOf,
                         Function<RoutingContext, List<Action>> needed) {
    if (Boolean.TRUE.equals(ctx.get(PresignedAccess.PRESIGNED))) {
      ctx.next();
      return;
    }
    HttpServerRequest request = ctx.request();
    // the body must wait for the verdict; resuming before next() is safe, data is delivered on a later turn
    boolean paused = !request.isEnded();
    if (paused) {
      request.pause();
    }
    authenticate(ctx)
        .map(permissions -> {
          permissions.check(bucketOf.apply(ctx), needed.apply(ctx));
          return permissions;
        })
        .onSuccess(permissions -> {
          if (paused) {
            request.resume();
          }
          ctx.next();
        })
        .onFailure(e -> Failures.fail(ctx, e));
  }

  private Future<Permissions> authenticate(RoutingContext ctx) {
    String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization != null) {
      if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
        return Future.failedFuture(StorageError.Unauthorized.exception("Only Bearer tokens are accepted"));
      }
      String token = authorization.substring(BEARER.length()).trim();
      CallerStorage.remember(ctx, StorageService.AUTH_TOKEN_HEADER, token);
      return authenticator.bearer(token);
    }
    String key = ctx.request().getHeader(API_KEY);
    if (key != null) {
      CallerStorage.remember(ctx, StorageService.API_KEY_HEADER, key);
      return authenticator.apiKey(key);
    }
    return Future.failedFuture(StorageError.Unauthorized.exception(
        "Credentials required: Authorization: Bearer <JWT> or " + API_KEY));
  }
}
