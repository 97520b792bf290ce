package com.dante.cacciaguida.storage.s3;

import com.dante.cacciaguida.storage.GetOptions;
import com.dante.cacciaguida.storage.HttpDate;
import com.dante.cacciaguida.storage.StorageError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.ReadStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Objects over a Vert.x {@link HttpClient}: GetObject, HeadObject, and PutObject and UploadPart of a streamed
 * body of known length, signed with the SDK's SigV4 signer ({@link AwsV4HttpSigner}).
 *
 * <p>Why not the SDK's async client: its response body arrives on the SDK's own event loops in chunks of at most
 * 8 KiB, each copied and handed over to the Vert.x context, its request body is pulled through a
 * Reactive-Streams bridge on its threads, and every call pays for the SDK's request pipeline; measured against
 * S3Proxy that capped downloads at a quarter and uploads at a third of S3Proxy's own speed. Here the S3 response
 * is read, and the upload written, on the event loop that serves the client, piped with backpressure, with no
 * thread hop and no copy. The SDK still does the part that must be right: the signature.
 *
 * <p>Timeouts match the SDK client's ({@link S3Clients}): connecting within {@link S3Clients#CONNECT_TIMEOUT}, the
 * status line of a GET or HEAD within {@link S3Clients#IO_TIMEOUT}, then a body that stalls for
 * {@link S3Clients#READ_TIMEOUT} breaks; an upload's answer must come within {@link S3Clients#READ_TIMEOUT} of
 * its last byte. No answer at all is {@code 503 ServiceUnavailable}.
 */
final class S3Transfers {

  private static final Logger LOG = LoggerFactory.getLogger(S3Transfers.class);
  private static final Pattern ERROR_CODE = Pattern.compile("<Code>([^<]*)</Code>");
  private static final Pattern ERROR_MESSAGE = Pattern.compile("<Message>([^<]*)</Message>");
  private static final int MAX_ERROR_BODY = 64 * 1024;

  private final Vertx vertx;
  private final HttpClient http;
  private final URI endpoint;
  /** The endpoint's own path (usually empty), without a trailing slash. */
  private final String basePath;
  private final String host;
  private final int port;
  private final String region;
  private final AwsCredentialsIdentity credentials;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  /** {@code credentials} null: anonymous requests. */
  S3Transfers(Vertx vertx, URI endpoint, String region, AwsCredentialsIdentity credentials) {
    this.vertx = vertx;
    this.endpoint = endpoint;
    this.basePath = endpoint.getRawPath() == null ? "" : endpoint.getRawPath().replaceAll("/+$", "");
    this.host = endpoint.getHost();
    boolean ssl = "https".equalsIgnoreCase(endpoint.getScheme());
    this.port = endpoint.getPort() > 0 ? endpoint.getPort() : ssl ? 443 : 80;
    this.region = region;
    this.credentials = credentials;
    this.http = vertx.createHttpClient(new HttpClientOptions()
            .setSsl(ssl)
            .setDefaultHost(host)
            .setDefaultPort(port)
            .setConnectTimeout((int) S3Clients.CONNECT_TIMEOUT.toMillis())
            .setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(S3Clients.MAX_CONNECTIONS));
  }

  /**
   * The answer to a GetObject: a paused {@code 200}, {@code 206} or {@code 304} response whose body (if any) the
   * caller must consume or reset; any other answer fails as the API's error.
   */
  Future<HttpClientResponse> get(String bucket, String key, GetOptions options) {
    return fetch(HttpMethod.GET, bucket, key, options);
  }

  /**
   * The answer to a HeadObject: a {@code 200} or {@code 304} response (headers only); any other answer fails as
   * the API's error. S3's 404 to a HEAD has no body, so it cannot tell a missing key from a missing bucket.
   */
  Future<HttpClientResponse> head(String bucket, String key, GetOptions options) {
    return fetch(HttpMethod.HEAD, bucket, key, options).onSuccess(HttpClientResponse::resume);
  }

  private Future<HttpClientResponse> fetch(HttpMethod method, String bucket, String key, GetOptions options) {
    RequestOptions request = new RequestOptions()
        .setMethod(method)
        .setURI(objectPath(bucket, key))
        .setIdleTimeout(S3Clients.READ_TIMEOUT.toMillis());
    putConditions(options, request);
    sign(request, request.getURI(), Map.of(), true);
    return send(request)
        .recover(e -> e instanceof TimeoutException ? Future.failedFuture(e) : send(request))
        .recover(e -> unreachable(method, bucket, key, e))
        .compose(response -> switch (response.statusCode()) {
          case 200, 206, 304 -> Future.succeededFuture(response);
          default -> failure(response);
        });
  }

  /**
   * PutObject of {@code body}, which must bring exactly {@code length} bytes, streamed with backpressure; answers
   * S3's ETag. The payload is signed {@code UNSIGNED-PAYLOAD}: the digests the client declared travel in
   * {@code headers} ({@code Content-MD5}, {@code x-amz-checksum-sha256}) for S3 to check. A body that fails resets
   * the request, so S3 never sees a complete body and stores nothing. One attempt: the body cannot be replayed.
   */
  Future<String> put(String bucket, String key, long length, Map<String, String> headers, ReadStream<Buffer> body) {
    return upload(bucket, key, Map.of(), length, headers, body);
  }

  /** UploadPart of a streamed part, as {@link #put} does a PutObject; answers the part's ETag. */
  Future<String> putPart(String bucket, String key, String uploadId, int partNumber, long length,
                         Map<String, String> headers, ReadStream<Buffer> body) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("partNumber", Integer.toString(partNumber));
    query.put("uploadId", uploadId);
    return upload(bucket, key, query, length, headers, body);
  }

  private Future<String> upload(String bucket, String key, Map<String, String> query, long length,
                                Map<String, String> headers, ReadStream<Buffer> body) {
    RequestOptions request = new RequestOptions()
        .setMethod(HttpMethod.PUT)
        .setURI(objectPath(bucket, key) + queryString(query))
        .putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
    headers.forEach(request::putHeader);
    sign(request, objectPath(bucket, key), query, false);
    return http.request(request)
        .recover(e -> unreachable(HttpMethod.PUT, bucket, key, e))
        .compose(upload -> new Upload(upload, body).etag());
  }

  /** The body of one PutObject or UploadPart on its way: written as fast as S3 takes it, reset if it breaks. */
  private final class Upload {
    private final HttpClientRequest request;
    private final ReadStream<Buffer> body;
    private Throwable bodyFailure;

    Upload(HttpClientRequest request, ReadStream<Buffer> body) {
      this.request = request;
      this.body = body;
    }

    /** S3's ETag; the body's own failure when the body broke, S3's error when it refused. */
    Future<String> etag() {
      request.exceptionHandler(ignored -> { }); // every failure also fails the response, handled below
      body.exceptionHandler(e -> {
        bodyFailure = e;
        request.reset(0, e);
      });
      body.endHandler(v -> request.end().onSuccess(sent -> awaitAnswer()));
      body.handler(chunk -> {
        request.write(chunk);
        if (request.writeQueueFull()) {
          body.pause();
          request.drainHandler(drained -> body.resume());
        }
      });
      body.resume();
      return request.response().transform(answered -> {
        if (bodyFailure != null) {
          return Future.failedFuture(S3Errors.ofBody(bodyFailure));
        }
        if (answered.failed()) {
          body.pause();
          return Future.failedFuture(StorageError.ServiceUnavailable.exception(
              "The S3 server broke off the upload: " + reason(answered.cause())));
        }
        HttpClientResponse response = answered.result();
        if (response.statusCode() / 100 == 2) {
          return Future.succeededFuture(response.getHeader(HttpHeaders.ETAG));
        }
        // refused, maybe before the body ended: the rest of the body no longer goes anywhere
        body.pause();
        return S3Transfers.<String>failure(response).onFailure(e -> request.reset());
      });
    }

    private void awaitAnswer() {
      Duration wait = S3Clients.READ_TIMEOUT;
      long timer = vertx.setTimer(wait.toMillis(), id -> request.reset(0,
          new TimeoutException("no answer within " + wait.toSeconds() + " s of the upload's end")));
      request.response().onComplete(ar -> vertx.cancelTimer(timer));
    }
  }

  Future<Void> close() {
    return http.close();
  }

  /**
   * One attempt. A GET or HEAD is idempotent, so a failed attempt is made once more, as the SDK would: a pooled
   * connection may have been closed by the server just before it was reused. A timeout is not retried.
   */
  private Future<HttpClientResponse> send(RequestOptions request) {
    return http.request(request).compose(this::answer);
  }

  /** Sends the request; the response is paused before anyone else sees it, so no byte of the body is missed. */
  private Future<HttpClientResponse> answer(HttpClientRequest request) {
    Duration wait = S3Clients.IO_TIMEOUT;
    long timer = vertx.setTimer(wait.toMillis(), id -> request.reset(0,
        new TimeoutException("no answer within " + wait.toSeconds() + " s")));
    Future<HttpClientResponse> answered = request.send();
    answered.onSuccess(HttpClientResponse::pause).onComplete(ar -> vertx.cancelTimer(timer));
    return answered;
  }

  /** No answer from S3 at all (refused, timed out, broken before the status line): {@code 503}. */
  private static <T> Future<T> unreachable(HttpMethod method, String bucket, String key, Throwable e) {
    LOG.warn("{} {}/{} to S3 got no answer: {}", method, bucket, key, reason(e));
    return Future.failedFuture(StorageError.ServiceUnavailable.exception(
        "The S3 server cannot be reached: " + reason(e)));
  }

  /** An error answer: S3's XML error names the code, as the SDK would read it. */
  private static <T> Future<T> failure(HttpClientResponse response) {
    int status = response.statusCode();
    Future<String> body = response.body().map(b -> b.length() > MAX_ERROR_BODY ? "" : b.toString());
    response.resume();
    return body.otherwise("").compose(xml -> Future.failedFuture(
        S3Errors.fromAnswer(status, first(ERROR_CODE, xml), first(ERROR_MESSAGE, xml))));
  }

  /** Path-style, with the key encoded as the SDK encodes it (the signature covers this exact path). */
  private String objectPath(String bucket, String key) {
    return basePath + "/" + SdkHttpUtils.urlEncode(bucket) + "/" + SdkHttpUtils.urlEncodeIgnoreSlashes(key);
  }

  /** The query as the signer canonicalises it: names and values percent-encoded the same way. */
  private static String queryString(Map<String, String> query) {
    StringBuilder s = new StringBuilder();
    query.forEach((name, value) -> s.append(s.length() == 0 ? '?' : '&')
        .append(SdkHttpUtils.urlEncode(name)).append('=').append(SdkHttpUtils.urlEncode(value)));
    return s.toString();
  }

  private static void putConditions(GetOptions options, RequestOptions request) {
    if (options.range() != null) request.putHeader("Range", options.range().toHeader());
    if (options.ifMatch() != null) request.putHeader("If-Match", options.ifMatch());
    if (options.ifNoneMatch() != null) request.putHeader("If-None-Match", options.ifNoneMatch());
    if (options.ifModifiedSince() != null) {
      request.putHeader("If-Modified-Since", HttpDate.format(options.ifModifiedSince()));
    }
    if (options.ifUnmodifiedSince() != null) {
      request.putHeader("If-Unmodified-Since", HttpDate.format(options.ifUnmodifiedSince()));
    }
  }

  /**
   * Adds SigV4 headers ({@code Authorization}, {@code X-Amz-Date}, {@code x-amz-content-sha256}); a request without
   * a body signs the empty payload, an upload {@code UNSIGNED-PAYLOAD}.
   */
  private void sign(RequestOptions request, String path, Map<String, String> query, boolean bodiless) {
    if (credentials == null) {
      return;
    }
    SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder()
        .method(SdkHttpMethod.fromValue(request.getMethod().name()))
        .protocol(endpoint.getScheme())
        .host(host)
        .port(port)
        .encodedPath(path);
    query.forEach(unsigned::putRawQueryParameter);
    if (request.getHeaders() != null) {
      request.getHeaders().forEach(h -> unsigned.putHeader(h.getKey(), h.getValue()));
    }
    SdkHttpRequest signed = signer.sign(r -> r
            .identity(credentials)
            .request(unsigned.build())
            .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
            .putProperty(AwsV4HttpSigner.REGION_NAME, region)
            .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
            .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
            .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, bodiless))
        .request();
    for (Map.Entry<String, List<String>> header : signed.headers().entrySet()) {
      if (!header.getKey().equalsIgnoreCase("Host")) { // Vert.x sends the same host:port itself
        request.putHeader(header.getKey(), header.getValue().get(0));
      }
    }
  }

  private static String first(Pattern pattern, String xml) {
    Matcher m = pattern.matcher(xml);
    return m.find() ? m.group(1) : null;
  }

  private static String reason(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
