package com.dante.cacciaguida.http;

import com.dante.cacciaguida.auth.Action;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
@DisplayName("Route access rules")
class AuthorizationTest {

  @Test
  @DisplayName("A router with a route that declares no access rule is refused")
  void uncoveredRouteIsRefused(Vertx vertx) {
    Authorization auth = Authorization.disabled();
    Router router = Router.router(vertx);
    router.route().handler(ctx -> ctx.next());
    auth.open(router.get("/health")).handler(ctx -> ctx.end());
    auth.require(router.get("/objects/*"), Action.READ, ctx -> "b").handler(ctx -> ctx.end());
    assertDoesNotThrow(() -> Authorization.verifyCovered(router));

    router.post("/uploads/*").handler(ctx -> ctx.end());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Authorization.verifyCovered(router));
    assertTrue(e.getMessage().contains("/uploads/"), e.getMessage());
  }
}
