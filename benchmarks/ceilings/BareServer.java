import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * The ceiling of a Vert.x HTTP server on this machine: one verticle per core answering every request with the
 * same 4 KiB from memory, no routing, no file, no metrics, no log. Run beside nginx with the same wrk command
 * to see what part of nginx's small-GET rate a Vert.x server can reach at all.
 *
 * <pre>java -cp target/storage-service.jar benchmarks/ceilings/BareServer.java 18090</pre>
 */
public class BareServer {
  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx();
    Buffer body = Buffer.buffer(new byte[4096]);
    for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
      vertx.deployVerticle(new VerticleBase() {
        @Override
        public Future<?> start() {
          return vertx.createHttpServer()
              .requestHandler(request -> request.response()
                  .putHeader("Content-Type", "application/octet-stream")
                  .end(body))
              .listen(port);
        }
      }).await();
    }
    System.out.println("bare server on :" + port);
  }
}
