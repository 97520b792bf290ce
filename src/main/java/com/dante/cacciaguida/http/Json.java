package com.dante.cacciaguida.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** JSON answers: {@code application/json; charset=utf-8}. */
final class Json {

  static final String CONTENT_TYPE = "application/json; charset=utf-8";

  private Json() {
  }

  static void send(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", CONTENT_TYPE).end(body.toBuffer());
  }

  static void send(RoutingContext ctx, int status, JsonArray body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", CONTENT_TYPE).end(body.toBuffer());
  }
}
