package com.dante.cacciaguida.http;

import com.dante.cacciaguida.presign.PresignSigner;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;

/**
 * Lets a request through on the strength of a presigned URL of this service (API.md 4.3): when the query carries
 * {@code X-Signature}, it must match method, bucket, key and {@code X-Expires} ({@code 403} otherwise), and the
 * request then needs no other credentials. Requests without a signature go on to the normal checks.
 */
public class PresignedAccess {

  /** Routing-context flag: the request was authorised by its presigned URL. */
  public static final String PRESIGNED = "presigned";

  private final PresignSigner signer;
  private final ObjectHandlers objects;

  public PresignedAccess(PresignSigner signer, ObjectHandlers objects) {
    this.signer = signer;
    this.objects = objects;
  }

  public void handle(RoutingContext ctx) {
    String signature = ctx.request().getParam(PresignSigner.SIGNATURE_PARAM);
    if (signature == null) {
      ctx.next();
      return;
    }
    ObjectPath path = objects.path(ctx);
    String method = ctx.request().method() == HttpMethod.HEAD ? "GET" : ctx.request().method().name();
    signer.verify(method, path.bucket(), path.key(), ctx.request().getParam(PresignSigner.EXPIRES_PARAM),
        signature, Instant.now());
    ctx.put(PRESIGNED, true);
    ctx.next();
  }
}
