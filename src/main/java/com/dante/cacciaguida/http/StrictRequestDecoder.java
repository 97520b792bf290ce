package com.dante.cacciaguida.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.net.impl.ConnectionBase;

import java.util.List;

/**
 * Vert.x's HTTP/1.1 request decoder, except that a request carrying both {@code Content-Length} and
 * {@code Transfer-Encoding} is marked invalid. Netty alone follows RFC 9112 6.3: it frames such a body as chunked
 * and drops {@code Content-Length} before anyone else sees the request, so no handler can refuse it; but a proxy
 * in front that framed it by {@code Content-Length} would disagree about where the next request starts (request
 * smuggling). The marked request goes to {@code HttpServer.invalidRequestHandler} ({@link Failures}, {@code 400}).
 * <p>
 * Installed by replacing the decoder of each new connection ({@link #install}); this reaches into Vert.x
 * internals ({@code ConnectionBase}, the {@code httpDecoder} pipeline name), which a Vert.x upgrade must keep.
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {

  private static final String NAME = "httpDecoder";

  /** Why a request was refused; no stack trace, it is an answer. */
  static final class AmbiguousLengthException extends DecoderException {
    AmbiguousLengthException() {
      super("A request must not carry both Content-Length and Transfer-Encoding");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  private StrictRequestDecoder(HttpServerOptions options) {
    super(options);
  }

  /**
   * {@code HttpServer.connectionHandler}: swaps the decoder of a new HTTP/1.x connection, before it has read
   * anything.
   */
  static void install(HttpConnection connection, HttpServerOptions options) {
    if (connection instanceof ConnectionBase base) {
      ChannelHandler current = base.channel().pipeline().get(NAME);
      if (current != null && current.getClass() == VertxHttpRequestDecoder.class) {
        base.channel().pipeline().replace(NAME, NAME, new StrictRequestDecoder(options));
      }
    }
  }

  /** Chunked with a length: Netty would drop the length here. */
  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    message.setDecoderResult(DecoderResult.failure(new AmbiguousLengthException()));
  }

  /** Any other transfer coding with a length. */
  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
    int before = out.size();
    super.decode(ctx, buffer, out);
    for (int i = before; i < out.size(); i++) {
      if (out.get(i) instanceof HttpRequest request && request.decoderResult().isSuccess()
          && request.headers().contains(HttpHeaderNames.CONTENT_LENGTH)
          && request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)) {
        request.setDecoderResult(DecoderResult.failure(new AmbiguousLengthException()));
      }
    }
  }
}
