import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;

/**
 * The ceiling of a Vert.x HTTP proxy on this machine: each GET is sent to an upstream server and its response
 * body piped into the client's response with backpressure, as the S3 backend's downloads are, and each PUT's body
 * is piped into the upstream request the same way (it needs a Content-Length), with nothing else (no signing, no
 * routing, no metrics, no log). Run it in front of nginx or S3Proxy (auth none) and compare a large GET or PUT
 * through it with the same request direct.
 *
 * <pre>java -cp target/storage-service.jar benchmarks/ceilings/ProxyServer.java 18095 18080</pre>
 */
public class ProxyServer {
  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    int upstream = Integer.parseInt(args[1]);
    Vertx vertx = Vertx.vertx();
    HttpClient client = vertx.createHttpClient(
        new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(upstream).setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(64));
    for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
      vertx.deployVerticle(new VerticleBase() {
        @Override
        public Future<?> start() {
          return vertx.createHttpServer().requestHandler(request -> {
            request.pause();
            client.request(request.method(), request.uri())
                .compose(upstreamRequest -> {
                  if (request.method() != HttpMethod.PUT) {
                    return upstreamRequest.send();
                  }
                  upstreamRequest.putHeader("Content-Length", request.getHeader("Content-Length"));
                  return upstreamRequest.send(request);
                })
                .onSuccess(response -> {
                  response.pause();
                  request.response().setStatusCode(response.statusCode());
                  String length = response.getHeader("Content-Length");
                  if (length != null) {
                    request.response().putHeader("Content-Length", length);
                  }
                  response.pipeTo(request.response());
                })
                .onFailure(e -> request.response().setStatusCode(502).end());
          }).listen(port);
        }
      }).await();
    }
    System.out.println("proxy on :" + port + " to :" + upstream);
  }
}
