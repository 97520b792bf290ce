package com.dante.cacciaguida.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MetricsNaming;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP server metrics, under the names and labels vertx-micrometer gives them ({@code vertx_http_server_*}:
 * requests, response time and bytes by route, method and code; request bytes and active requests by method;
 * connections, bytes read and written, errors), recorded with meters looked up once per label set. vertx-micrometer
 * builds and registers five meter ids on every request, which cost a small GET a sixth of its CPU; the route label
 * still comes from Vert.x-web ({@link #requestRouted}), so it is the same route template.
 */
final class HttpServerMeters implements HttpServerMetrics<HttpServerMeters.Request, Void, Boolean> {

  private static final String PREFIX = MetricsDomain.HTTP_SERVER.getPrefix();
  private static final MetricsNaming NAMES = new MicrometerMetricsOptions().getMetricsNaming();

  private final MeterRegistry registry;
  private final Map<ResponseKey, ResponseMeters> responseMeters = new ConcurrentHashMap<>();
  private final Map<HttpMethod, MethodMeters> methodMeters = new ConcurrentHashMap<>();
  private final AtomicLong activeConnections = new AtomicLong();
  private final Counter bytesRead;
  private final Counter bytesWritten;
  private final Counter errors;

  HttpServerMeters(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder(PREFIX + NAMES.getNetActiveConnections(), activeConnections, AtomicLong::get)
        .description("Number of opened connections to the server").strongReference(true).register(registry);
    bytesRead = Counter.builder(PREFIX + NAMES.getNetBytesRead())
        .description("Number of bytes received by the server").register(registry);
    bytesWritten = Counter.builder(PREFIX + NAMES.getNetBytesWritten())
        .description("Number of bytes sent by the server").register(registry);
    errors = Counter.builder(PREFIX + NAMES.getNetErrorCount())
        .description("Number of errors").register(registry);
  }

  /** One request in flight: its method, start, and the route templates Vert.x-web matched. */
  static final class Request {
    private final MethodMeters method;
    private final long start = System.nanoTime();
    private String route = "";
    private boolean finished;

    private Request(MethodMeters method) {
      this.method = method;
    }
  }

  @Override
  public Request requestBegin(Boolean connection, HttpRequest request) {
    MethodMeters meters = methodMeters.computeIfAbsent(request.method(), MethodMeters::new);
    meters.active.incrementAndGet();
    return new Request(meters);
  }

  /** Vert.x-web reports each named route the request enters; several are joined as vertx-micrometer does. */
  @Override
  public void requestRouted(Request request, String route) {
    if (route != null) {
      request.route = request.route.isEmpty() ? route : request.route + '>' + route;
    }
  }

  @Override
  public void requestEnd(Request request, HttpRequest httpRequest, long bytesRead) {
    request.method.requestBytes.record(bytesRead);
  }

  @Override
  public void responseEnd(Request request, HttpResponse response, long bytesWritten) {
    ResponseMeters meters = responseMeters.computeIfAbsent(
        new ResponseKey(request.route, request.method.method, response.statusCode()), ResponseMeters::new);
    meters.requests.increment();
    meters.responseTime.record(System.nanoTime() - request.start, TimeUnit.NANOSECONDS);
    meters.responseBytes.record(bytesWritten);
    finish(request);
  }

  @Override
  public void requestReset(Request request) {
    request.method.resets.increment();
    finish(request);
  }

  private static void finish(Request request) {
    if (!request.finished) {
      request.finished = true;
      request.method.active.decrementAndGet();
    }
  }

  @Override
  public Boolean connected(SocketAddress remoteAddress, String remoteName) {
    activeConnections.incrementAndGet();
    return Boolean.TRUE;
  }

  @Override
  public void disconnected(Boolean connection, SocketAddress remoteAddress) {
    activeConnections.decrementAndGet();
  }

  @Override
  public void bytesRead(Boolean connection, SocketAddress remoteAddress, long numberOfBytes) {
    bytesRead.increment(numberOfBytes);
  }

  @Override
  public void bytesWritten(Boolean connection, SocketAddress remoteAddress, long numberOfBytes) {
    bytesWritten.increment(numberOfBytes);
  }

  @Override
  public void exceptionOccurred(Boolean connection, SocketAddress remoteAddress, Throwable t) {
    errors.increment();
  }

  private record ResponseKey(String route, HttpMethod method, int code) {
  }

  /** The meters of one (route, method, code). */
  private final class ResponseMeters {
    final Counter requests;
    final Timer responseTime;
    final DistributionSummary responseBytes;

    ResponseMeters(ResponseKey key) {
      String[] tags = {"route", key.route(), "method", key.method().name(), "code", Integer.toString(key.code())};
      requests = Counter.builder(PREFIX + NAMES.getHttpRequestsCount())
          .description("Number of processed requests").tags(tags).register(registry);
      responseTime = Timer.builder(PREFIX + NAMES.getHttpResponseTime())
          .description("Request processing time").tags(tags).register(registry);
      responseBytes = DistributionSummary.builder(PREFIX + NAMES.getHttpResponseBytes())
          .description("Size of responses in bytes").tags(tags).register(registry);
    }
  }

  /** The meters of one method. */
  private final class MethodMeters {
    final HttpMethod method;
    final AtomicLong active = new AtomicLong();
    final DistributionSummary requestBytes;
    final Counter resets;

    MethodMeters(HttpMethod method) {
      this.method = method;
      String name = method.name();
      Gauge.builder(PREFIX + NAMES.getHttpActiveRequests(), active, AtomicLong::get)
          .description("Number of requests being processed").tag("method", name).strongReference(true)
          .register(registry);
      requestBytes = DistributionSummary.builder(PREFIX + NAMES.getHttpRequestBytes())
          .description("Size of requests in bytes").tag("method", name).register(registry);
      resets = Counter.builder(PREFIX + NAMES.getHttpRequestResetsCount())
          .description("Number of request resets").tag("method", name).register(registry);
    }
  }
}
