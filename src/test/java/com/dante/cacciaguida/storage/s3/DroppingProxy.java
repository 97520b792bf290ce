package com.dante.cacciaguida.storage.s3;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy in front of an S3 server that passes everything through, except that it can cut the connection
 * that carries a given request, as it arrives and before the server sees it: what a client sees when the
 * server crashed or a load balancer dropped the connection. The request is recognised by a marker in its bytes
 * (its request line), once per {@link #dropNext}.
 */
final class DroppingProxy {

  private final AtomicReference<String> marker = new AtomicReference<>();
  private final AtomicInteger dropped = new AtomicInteger();
  private final NetServer server;

  private DroppingProxy(NetServer server) {
    this.server = server;
  }

  static Future<DroppingProxy> start(Vertx vertx, int upstreamPort) {
    NetClient upstreams = vertx.createNetClient();
    NetServer server = vertx.createNetServer();
    DroppingProxy proxy = new DroppingProxy(server);
    server.connectHandler(client -> {
      client.pause();
      upstreams.connect(upstreamPort, "127.0.0.1").onComplete(connected -> {
        if (connected.failed()) {
          client.close();
        } else {
          proxy.relay(client, connected.result());
        }
      });
    });
    return server.listen(0, "127.0.0.1").map(proxy);
  }

  private void relay(NetSocket client, NetSocket upstream) {
    client.handler(data -> {
      String armed = marker.get();
      if (armed != null && data.toString(StandardCharsets.ISO_8859_1).contains(armed)
          && marker.compareAndSet(armed, null)) {
        dropped.incrementAndGet();
        client.close();
        upstream.close();
        return;
      }
      upstream.write(data);
      if (upstream.writeQueueFull()) {
        client.pause();
        upstream.drainHandler(v -> client.resume());
      }
    });
    client.closeHandler(v -> upstream.close());
    upstream.closeHandler(v -> client.close());
    upstream.pipeTo(client);
    client.resume();
  }

  int port() {
    return server.actualPort();
  }

  /** Cuts the connection of the next request whose bytes contain {@code requestMarker}. */
  void dropNext(String requestMarker) {
    marker.set(requestMarker);
  }

  /** Connections cut so far. */
  int dropped() {
    return dropped.get();
  }
}
