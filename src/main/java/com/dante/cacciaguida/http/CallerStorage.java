package com.dante.cacciaguida.http;

import com.dante.cacciaguida.storage.StorageService;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.ext.web.RoutingContext;

/**
 * The storage service as the caller of a request: with auth on, every event-bus call carries the credentials the
 * request came with, so the storage verticle (perhaps on another node) applies the same permissions and this
 * verticle cannot be used to widen them.
 */
public final class CallerStorage {

  private static final String CREDENTIAL = "busCredential";

  private record Credential(String header, String value) {
  }

  private final Vertx vertx;
  private final String address;
  private final DeliveryOptions options;
  private final StorageService anonymous;

  public CallerStorage(Vertx vertx, String address, DeliveryOptions options) {
    this.vertx = vertx;
    this.address = address;
    this.options = options;
    this.anonymous = StorageService.createProxy(vertx, address, options);
  }

  /** The proxy for this request's calls. */
  public StorageService of(RoutingContext ctx) {
    Credential credential = ctx.get(CREDENTIAL);
    if (credential == null) {
      return anonymous;
    }
    return StorageService.createProxy(vertx, address,
        new DeliveryOptions(options).addHeader(credential.header(), credential.value()));
  }

  static void remember(RoutingContext ctx, String header, String value) {
    ctx.put(CREDENTIAL, new Credential(header, value));
  }
}
