package com.dante.cacciaguida.metrics;

import com.dante.cacciaguida.config.StorageConfig;
import com.dante.cacciaguida.storage.StorageException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.shareddata.Shareable;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The metrics of one Vert.x instance: one Prometheus registry that Vert.x reports into (HTTP server by route
 * template and status, event bus by address, pools, JVM and process) and that holds the service's own meters.
 * Each instance has its own registry, so several services in one JVM (tests) never mix their series.
 *
 * <p>Labels stay bounded: HTTP requests carry the route template ({@code /objects/*}), never the path, and requests
 * no route matched (404, 405) carry an empty route; backend operations carry the operation and an outcome class.
 * No label ever holds a bucket name or an object key.
 *
 * <p>Disabled ({@code metrics.enabled: false}), Vert.x is not instrumented and the service's meters go to a
 * registry that keeps nothing.
 */
public final class StorageMetrics implements Shareable {

  public static final String SUCCESS = "success";
  public static final String CLIENT_ERROR = "client_error";
  public static final String SERVER_ERROR = "server_error";

  private static final String LOCAL_MAP = "cacciaguida.metrics";
  private static final String KEY = "metrics";
  private static final Duration SHORTEST_OPERATION = Duration.ofMillis(1);
  private static final Duration LONGEST_OPERATION = Duration.ofMinutes(1);

  private final PrometheusMeterRegistry prometheus;
  private final MeterRegistry registry;
  private final Counter bytesUploaded;
  private final Counter bytesDownloaded;
  private final Counter objectsWritten;
  private final Counter objectsDeleted;
  private final Meter.MeterProvider<Timer> backendOperations;
  private final Map<String, Timer> operationTimers = new ConcurrentHashMap<>();
  private final AtomicLong uploadsInFlight = new AtomicLong();
  private final AtomicLong multipartUploadsOpen = new AtomicLong();

  private StorageMetrics(PrometheusMeterRegistry prometheus, MeterRegistry registry) {
    this.prometheus = prometheus;
    this.registry = registry;
    bytesUploaded = Counter.builder("storage.bytes.uploaded")
        .description("Object bytes stored by successful puts").register(registry);
    bytesDownloaded = Counter.builder("storage.bytes.downloaded")
        .description("Object bytes sent to clients (whole objects, ranges, inline reads)").register(registry);
    objectsWritten = Counter.builder("storage.objects.written")
        .description("Objects stored by successful puts").register(registry);
    objectsDeleted = Counter.builder("storage.objects.deleted")
        .description("Successful deletes (a delete of a missing key succeeds, as in S3)").register(registry);
    backendOperations = Timer.builder("storage.backend.operation")
        .description("Backend operation latency; a put lasts as long as its body takes to arrive, a get until "
            + "the object is open")
        .publishPercentileHistogram()
        .minimumExpectedValue(SHORTEST_OPERATION)
        .maximumExpectedValue(LONGEST_OPERATION)
        .withRegistry(registry);
    Gauge.builder("storage.uploads.in.flight", uploadsInFlight, AtomicLong::get)
        .description("Puts whose body is being received").strongReference(true).register(registry);
    Gauge.builder("storage.multipart.uploads.open", multipartUploadsOpen, AtomicLong::get)
        .description("Multipart uploads started and neither completed nor aborted: counted in the store at each "
            + "upload sweep, kept current in between by this instance's own creates, completions and aborts")
        .strongReference(true)
        .register(registry);
  }

  /** Metrics as configured: a Prometheus registry when enabled, one that keeps nothing otherwise. */
  public static StorageMetrics create(StorageConfig.Metrics config) {
    if (!config.enabled()) {
      return new StorageMetrics(null, new CompositeMeterRegistry());
    }
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // buckets for latencies only: Vert.x's byte-size summaries would add hundreds of buckets per route and status
    prometheus.config().meterFilter(new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        return id.getType() == Meter.Type.TIMER
            ? DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config)
            : config;
      }
    });
    new FileDescriptorMetrics().bindTo(prometheus);
    return new StorageMetrics(prometheus, prometheus);
  }

  /** The metrics installed in this Vert.x instance; disabled ones when none were. */
  public static StorageMetrics of(Vertx vertx) {
    return vertx.sharedData().<String, StorageMetrics>getLocalMap(LOCAL_MAP)
        .computeIfAbsent(KEY, k -> new StorageMetrics(null, new CompositeMeterRegistry()));
  }

  /** Makes these the metrics {@link #of} returns for this Vert.x instance. */
  public void install(Vertx vertx) {
    vertx.sharedData().<String, StorageMetrics>getLocalMap(LOCAL_MAP).put(KEY, this);
  }

  /**
   * Vert.x's metrics options: when enabled, event-bus address and pool labels (no HTTP labels: the HTTP server's
   * meters are {@link HttpServerMeters}' own, the HTTP client's are off), JVM and process binders, and a registry
   * name of its own (Vert.x keeps its registries by name, JVM-wide).
   */
  public MetricsOptions vertxOptions() {
    if (prometheus == null) {
      return new MetricsOptions().setEnabled(false);
    }
    EnumSet<Label> labels = EnumSet.of(Label.EB_ADDRESS, Label.EB_SIDE, Label.POOL_TYPE, Label.POOL_NAME);
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setRegistryName("storage-" + UUID.randomUUID())
        .setLabels(labels)
        // S3 requests are timed as backend operations (storage_backend_operation_seconds); per-request client
        // meters would only repeat them at a cost on every GET
        .setDisabledMetricsCategories(Set.of(MetricsDomain.HTTP_CLIENT.toCategory()))
        .setJvmMetricsEnabled(true);
  }

  /** Makes the Vert.x instance being built report into this registry (when enabled). */
  public VertxBuilder instrument(VertxBuilder builder) {
    return prometheus == null ? builder : builder.withMetrics(new ServiceMetricsFactory(prometheus));
  }

  /** The registry to scrape, when enabled. */
  public Optional<PrometheusMeterRegistry> prometheus() {
    return Optional.ofNullable(prometheus);
  }

  /** Lets the multipart upload registry report how many uploads are open (0 until one does). */
  /** The open uploads the store holds, as the upload sweeper counted them. */
  public void multipartUploadsCounted(long open) {
    multipartUploadsOpen.set(open);
  }

  public void multipartUploadOpened() {
    multipartUploadsOpen.incrementAndGet();
  }

  public void multipartUploadClosed() {
    multipartUploadsOpen.updateAndGet(n -> Math.max(0, n - 1));
  }

  public Timer.Sample startOperation() {
    return Timer.start(registry);
  }

  /** Records a finished backend operation; {@code failure} is null on success. */
  public void operationFinished(Timer.Sample sample, String operation, Throwable failure) {
    String outcome = outcome(failure);
    // one lookup in a small map instead of building and registering the meter's id on every operation
    sample.stop(operationTimers.computeIfAbsent(operation + ' ' + outcome,
        k -> backendOperations.withTags("operation", operation, "outcome", outcome)));
  }

  public void uploadStarted() {
    uploadsInFlight.incrementAndGet();
  }

  public void uploadFinished() {
    uploadsInFlight.decrementAndGet();
  }

  public void objectWritten(long size) {
    objectsWritten.increment();
    bytesUploaded.increment(size);
  }

  public void objectDeleted() {
    objectsDeleted.increment();
  }

  public void bytesDownloaded(long bytes) {
    bytesDownloaded.increment(bytes);
  }

  /** Releases the registry once Vert.x, which reports into it, is closed. */
  public void close() {
    registry.close();
  }

  private static String outcome(Throwable failure) {
    if (failure == null) {
      return SUCCESS;
    }
    StorageException error = StorageException.from(failure);
    return error != null && error.error().status() < 500 ? CLIENT_ERROR : SERVER_ERROR;
  }
}
