package com.dante.cacciaguida.storage.s3;

import com.dante.cacciaguida.config.StorageConfig;
import io.vertx.core.Vertx;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.URI;
import java.time.Duration;

/**
 * Builds the SDK's S3 client and presigner from the {@code minio} config, with timeouts that make an unreachable
 * server fail fast instead of hanging a request (the SDK defaults wait about two minutes for a stopped server):
 * connecting is bounded by {@link #CONNECT_TIMEOUT}, a write the server does not take by {@link #IO_TIMEOUT},
 * each attempt of a control call by {@link #IO_TIMEOUT} too, and a whole control call (both of its attempts) by the
 * service's {@code request_timeout}. Completing a multipart upload and server-side copies take
 * {@link #longCallOverride()} instead: their duration depends on the object's size, not on the server's health.
 * Object bodies do not go through this client at all ({@link S3Transfers}).
 */
final class S3Clients {

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  static final Duration IO_TIMEOUT = Duration.ofSeconds(10);
  /**
   * Bounds a silent connection once a response is streaming: a GET body is read only as fast as the HTTP client
   * takes it, so this is how long a reader may stall. Control calls are bounded sooner by the attempt timeout.
   */
  static final Duration READ_TIMEOUT = Duration.ofMinutes(2);
  static final Duration UPLOAD_TIMEOUT = Duration.ofHours(1);
  static final int MAX_CONNECTIONS = 256;

  private final StorageConfig.Minio minio;
  private final Duration requestTimeout;

  S3Clients(StorageConfig.Minio minio, Duration requestTimeout) {
    this.minio = minio;
    this.requestTimeout = requestTimeout;
  }

  S3AsyncClient client() {
    Duration attempt = requestTimeout.compareTo(IO_TIMEOUT) < 0 ? requestTimeout : IO_TIMEOUT;
    return S3AsyncClient.builder()
        .endpointOverride(uri(minio.endpoint()))
        .region(Region.of(minio.region()))
        .credentialsProvider(credentials())
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClientBuilder(NettyNioAsyncHttpClient.builder()
            .connectionTimeout(CONNECT_TIMEOUT)
            .connectionAcquisitionTimeout(IO_TIMEOUT)
            .readTimeout(READ_TIMEOUT)
            .writeTimeout(IO_TIMEOUT)
            .maxConcurrency(MAX_CONNECTIONS))
        .overrideConfiguration(o -> o
            .apiCallTimeout(requestTimeout)
            .apiCallAttemptTimeout(attempt)
            .retryStrategy(b -> b.maxAttempts(2)))
        .build();
  }

  /** Presigned URLs name the endpoint clients reach: {@code minio.publicEndpoint} when set. */
  S3Presigner presigner() {
    String endpoint = minio.publicEndpoint() == null || minio.publicEndpoint().isBlank()
        ? minio.endpoint() : minio.publicEndpoint();
    return S3Presigner.builder()
        .endpointOverride(uri(endpoint))
        .region(Region.of(minio.region()))
        .credentialsProvider(credentials())
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build();
  }

  /** Objects (GET, HEAD, streamed PUT and UploadPart) on a Vert.x HTTP client, signed with the same credentials. */
  S3Transfers transfers(Vertx vertx) {
    AwsCredentialsProvider provider = credentials();
    AwsCredentialsIdentity identity = provider instanceof AnonymousCredentialsProvider ? null
        : provider.resolveCredentials();
    return new S3Transfers(vertx, uri(minio.endpoint()), minio.region(), identity);
  }

  /** For calls whose duration grows with the object (completing a multipart upload, a server-side copy). */
  static AwsRequestOverrideConfiguration longCallOverride() {
    return AwsRequestOverrideConfiguration.builder()
        .apiCallTimeout(UPLOAD_TIMEOUT)
        .apiCallAttemptTimeout(UPLOAD_TIMEOUT)
        .build();
  }

  /** No keys configured: anonymous requests (a public MinIO); the SDK refuses blank static keys. */
  private AwsCredentialsProvider credentials() {
    if (minio.accessKeyId().isEmpty() && minio.secretAccessKey().isEmpty()) {
      return AnonymousCredentialsProvider.create();
    }
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(minio.accessKeyId(), minio.secretAccessKey()));
  }

  /** {@code host:port} takes its scheme from {@code useSSL}; a full URL is taken as it is. */
  private URI uri(String endpoint) {
    String e = endpoint.trim();
    return URI.create(e.contains("://") ? e : (minio.useSsl() ? "https://" : "http://") + e);
  }
}
