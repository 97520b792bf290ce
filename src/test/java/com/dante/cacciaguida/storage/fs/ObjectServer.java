package com.dante.cacciaguida.storage.fs;

import com.dante.cacciaguida.storage.ByteRange;
import com.dante.cacciaguida.storage.GetOptions;
import com.dante.cacciaguida.storage.ObjectRead;
import com.dante.cacciaguida.storage.ObjectStorage;
import com.dante.cacciaguida.storage.StorageException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/**
 * A minimal HTTP front for a backend's reads, so tests fetch content through {@link ObjectRead#sendTo} as the
 * service does: {@code GET /?bucket=…&key=…} with an optional {@code Range}.
 */
final class ObjectServer {

  private final HttpServer server;
  private final WebClient client;

  private ObjectServer(HttpServer server, WebClient client) {
    this.server = server;
    this.client = client;
  }

  static Future<ObjectServer> start(Vertx vertx, ObjectStorage storage) {
    HttpServer server = vertx.createHttpServer().requestHandler(request -> serve(storage, request));
    return server.listen(0, "127.0.0.1").map(s -> new ObjectServer(s, WebClient.create(vertx)));
  }

  Future<HttpResponse<Buffer>> fetch(String bucket, String key, String range) {
    var request = client.get(server.actualPort(), "127.0.0.1", "/")
        .addQueryParam("bucket", bucket)
        .addQueryParam("key", key);
    if (range != null) {
      request.putHeader("Range", range);
    }
    return request.send();
  }

  Future<Void> close() {
    client.close();
    return server.close();
  }

  private static void serve(ObjectStorage storage, HttpServerRequest request) {
    GetOptions options = new GetOptions(ByteRange.parse(request.getHeader("Range")), null, null, null, null, null,
        false);
    storage.get(request.getParam("bucket"), request.getParam("key"), options)
        .compose(read -> {
          request.response().setStatusCode(read.status()).putHeader("ETag", read.info().getEtag());
          if (read.status() == 206) {
            request.response().putHeader("Content-Range", read.slice().contentRange());
          }
          return read.sendTo(request.response());
        })
        .onFailure(failure -> request.response()
            .setStatusCode(failure instanceof StorageException se ? se.failureCode() : 500)
            .end(String.valueOf(failure.getMessage())));
  }
}
