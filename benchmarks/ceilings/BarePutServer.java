import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpMethod;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * The ceiling of a Vert.x server taking small PUTs on this machine, doing what nginx's WebDAV PUT does and no
 * more: the body collected in memory, written to a new temp file and renamed over the target on a worker thread
 * (two per core, as the service's filesystem backend), then 201. No fsync, no digests, no header, no routing,
 * metrics or log. Run beside nginx with the same hey command to see what part of nginx's small-PUT rate a Vert.x
 * server that never blocks its event loop can reach at all.
 *
 * <pre>java -cp target/storage-service.jar benchmarks/ceilings/BarePutServer.java 18096 /tmp/bare-put</pre>
 */
public class BarePutServer {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Path dir = Files.createDirectories(Path.of(args[1]));
    Path tmp = Files.createDirectories(dir.resolve(".tmp"));
    Vertx vertx = Vertx.vertx();
    WorkerExecutor files = vertx.createSharedWorkerExecutor("files", 2 * Runtime.getRuntime().availableProcessors());
    for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
      vertx.deployVerticle(new VerticleBase() {
        @Override
        public Future<?> start() {
          return vertx.createHttpServer().requestHandler(request -> {
            if (request.method() != HttpMethod.PUT) {
              request.response().end(); // the start script's "is it up" GET
              return;
            }
            Path target = dir.resolve(Path.of(request.path()).getFileName().toString());
            request.body()
                .compose(body -> files.executeBlocking(() -> {
                  Path temp = tmp.resolve(UUID.randomUUID().toString());
                  Files.write(temp, body.getBytes(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                  Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                  return null;
                }, false))
                .onSuccess(v -> request.response().setStatusCode(201).end())
                .onFailure(e -> request.response().setStatusCode(500).end());
          }).listen(port);
        }
      }).await();
    }
    System.out.println("bare PUT server on :" + port + " into " + dir);
  }
}
