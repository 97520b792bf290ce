import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * The ceiling of a Vert.x HTTP server on this machine: one verticle per core answering every request with 4 KiB,
 * no routing, no metrics, no log. Without a file argument the 4 KiB come from memory; with one, every request
 * reads the file on a worker thread ({@code vertx.fileSystem().readFile}: open, read, close), as a server that
 * never blocks its event loop must. Run beside nginx with the same wrk command to see what part of nginx's
 * small-GET rate a Vert.x server can reach at all.
 *
 * <pre>java -cp target/storage-service.jar benchmarks/ceilings/BareServer.java 18090 [file]</pre>
 */
public class BareServer {
  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    String file = args.length > 1 ? args[1] : null;
    Vertx vertx = Vertx.vertx();
    Buffer body = Buffer.buffer(new byte[4096]);
    for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
      vertx.deployVerticle(new VerticleBase() {
        @Override
        public Future<?> start() {
          return vertx.createHttpServer()
              .requestHandler(request -> {
                if (file == null) {
                  answer(request, body);
                } else {
                  vertx.fileSystem().readFile(file)
                      .onSuccess(content -> answer(request, content))
                      .onFailure(e -> request.response().setStatusCode(500).end());
                }
              })
              .listen(port);
        }
      }).await();
    }
    System.out.println("bare server on :" + port + (file == null ? "" : " reading " + file));
  }

  private static void answer(HttpServerRequest request, Buffer content) {
    request.response().putHeader("Content-Type", "application/octet-stream").end(content);
  }
}
