package com.dante.cacciaguida.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;

import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;

/**
 * Lifts a connection's idle timeout ({@code server.idleTimeout}) while the service works on a request in silence,
 * and restores it once the response is out. Completing a multipart upload copies (filesystem) or reads back and
 * copies (S3) the whole object before it can answer: minutes for hundreds of GB, with no byte on the connection,
 * which the idle timeout would cut although the completion goes on and succeeds. The client's own timeout still
 * applies. This reaches into Vert.x internals ({@code ConnectionBase}, the {@code idle} pipeline name), like
 * {@link StrictRequestDecoder}; without them (another connection type) the timeout simply stays.
 */
final class IdleTimeoutPause {

  private static final String NAME = "idle";

  private IdleTimeoutPause() {
  }

  /** Lifts the timeout of the request's connection until the request ends. */
  static void untilEnd(RoutingContext ctx) {
    if (!(ctx.request().connection() instanceof ConnectionBase base)) {
      return;
    }
    ChannelPipeline pipeline = base.channel().pipeline();
    if (!(pipeline.get(NAME) instanceof IdleStateHandler idle)) {
      return;
    }
    long read = idle.getReaderIdleTimeInMillis();
    long write = idle.getWriterIdleTimeInMillis();
    long all = idle.getAllIdleTimeInMillis();
    replace(pipeline, idle, new ChannelDuplexHandler());
    ctx.addEndHandler(ar -> {
      ChannelHandler current = pipeline.get(NAME);
      if (current != null && !(current instanceof IdleStateHandler)) {
        replace(pipeline, current, new IdleStateHandler(read, write, all, TimeUnit.MILLISECONDS));
      }
    });
  }

  private static void replace(ChannelPipeline pipeline, ChannelHandler old, ChannelHandler replacement) {
    try {
      pipeline.replace(old, NAME, replacement);
    } catch (NoSuchElementException closedMeanwhile) {
      // the connection is gone and with it its pipeline: nothing to lift or restore
    }
  }
}
