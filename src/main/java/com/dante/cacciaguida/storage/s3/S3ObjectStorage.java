package com.dante.cacciaguida.storage.s3;

import com.dante.cacciaguida.config.StorageConfig;
import com.dante.cacciaguida.storage.ByteRange;
import com.dante.cacciaguida.storage.GetOptions;
import com.dante.cacciaguida.storage.HttpDate;
import com.dante.cacciaguida.storage.ListQuery;
import com.dante.cacciaguida.storage.ObjectInfo;
import com.dante.cacciaguida.storage.ObjectNames;
import com.dante.cacciaguida.storage.ObjectRead;
import com.dante.cacciaguida.storage.MultipartStorage;
import com.dante.cacciaguida.storage.ObjectStorage;
import com.dante.cacciaguida.storage.PresignRequest;
import com.dante.cacciaguida.storage.PresignedUrl;
import com.dante.cacciaguida.storage.PutOptions;
import com.dante.cacciaguida.storage.ReadDecision;
import com.dante.cacciaguida.storage.StorageError;
import com.dante.cacciaguida.storage.StorageException;
import com.dante.cacciaguida.storage.VerifyingStream;
import com.dante.cacciaguida.storage.versioning.VersioningBackend;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.streams.ReadStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.awscore.presigner.PresignedRequest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The S3 backend (MinIO or any S3), on the AWS SDK v2 async client.
 *
 * <p>Object bodies travel on a Vert.x HTTP client ({@link S3Transfers}), everything else on the SDK's. Uploads
 * stream: a body of known length up to {@link #SINGLE_PUT_LIMIT} is piped into one PutObject (no buffering); a
 * larger or chunked body goes through {@link MultipartUploader} with bounded part buffers. Reads pipe S3's response
 * into the HTTP response ({@link S3ObjectRead}); conditions and ranges are evaluated by S3 itself. Listings come
 * from ListObjectsV2 and carry no content type (S3 does not list it). An object carries its SHA-256 when the
 * client declared it on upload (see {@link S3Requests}).
 *
 * <p>The client is built once and never replaced: when the server is down, calls fail within the configured
 * timeouts as {@code 503 ServiceUnavailable}, and the next call after the server came back simply succeeds. The
 * default bucket is created by {@link #start()} or, if the server was unreachable then, by the first call that
 * needs it.
 */
public final class S3ObjectStorage implements ObjectStorage, VersioningBackend {

  /**
   * Up to this declared length (S3's limit for one PutObject) a body is one streamed PutObject: it needs no buffer,
   * gets the content's MD5 as its ETag, and spares the server the assembly of parts. Cutting a streamed body into
   * parts would buy nothing: a client's stream cannot be replayed, so no part could be retried alone.
   */
  static final long SINGLE_PUT_LIMIT = 5L * 1024 * 1024 * 1024;
  /** Parts of a multipart upload; at least S3's 5 MiB minimum, larger when 10000 parts would not hold the body. */
  static final int MIN_PART_SIZE = 8 * 1024 * 1024;
  /** Where the deep health check writes its probe; keys starting with a dot segment are no user's data. */
  static final String PROBE_PREFIX = ".cacciaguida-probe/";

  private static final Logger LOG = LoggerFactory.getLogger(S3ObjectStorage.class);

  private final Vertx vertx;
  private final StorageConfig.Minio minio;
  private final S3AsyncClient s3;
  private final S3Presigner presigner;
  private final S3Copier copier;
  private final S3Transfers transfers;
  private volatile boolean defaultBucketReady;

  public S3ObjectStorage(Vertx vertx, StorageConfig.Minio minio, Duration requestTimeout) {
    this.vertx = vertx;
    this.minio = minio;
    S3Clients clients = new S3Clients(minio, requestTimeout);
    this.s3 = clients.client();
    this.presigner = clients.presigner();
    this.copier = new S3Copier(s3, S3Copier.MAX_SINGLE_COPY, S3Copier.COPY_PART_SIZE);
    this.transfers = clients.transfers(vertx);
  }

  /** Multipart uploads on this backend's client; {@code secret} signs their ids. */
  public MultipartStorage multipart(byte[] secret) {
    return new S3MultipartStorage(vertx, s3, transfers, secret);
  }

  @Override
  public Future<Void> start() {
    Context context = vertx.getOrCreateContext();
    Future<Void> reached = Future.fromCompletionStage(s3.listBuckets(), context).mapEmpty();
    return reached
        .compose(v -> minio.autoCreateDefaultBucket() ? defaultBucket() : Future.<Void>succeededFuture())
        .recover(e -> Future.failedFuture(S3Errors.map(e)))
        .onSuccess(v -> LOG.info("S3 backend at {} ready (default bucket {})", minio.endpoint(),
            minio.defaultBucket()))
        .onFailure(e -> LOG.warn("S3 backend at {} not ready: {}", minio.endpoint(), e.getMessage()));
  }

  @Override
  public Future<Void> close() {
    return transfers.close().eventually(() -> vertx.executeBlocking(() -> {
      presigner.close();
      s3.close();
      return null;
    }));
  }

  @Override
  public Future<Void> ensureBucket(String bucket) {
    Context context = vertx.getOrCreateContext();
    boolean usEast1 = Region.US_EAST_1.id().equals(minio.region());
    return Future.fromCompletionStage(s3.createBucket(b -> {
          b.bucket(bucket);
          if (!usEast1) {
            b.createBucketConfiguration(c -> c.locationConstraint(minio.region()));
          }
        }), context)
        .<Void>mapEmpty()
        .recover(e -> S3Errors.unwrap(e) instanceof BucketAlreadyOwnedByYouException
            ? Future.succeededFuture() : Future.failedFuture(S3Errors.map(e)));
  }

  @Override
  public Future<ObjectInfo> put(String bucket, String key, ReadStream<Buffer> body, PutOptions options) {
    Context context = vertx.getOrCreateContext();
    if (options.lengthKnown() && options.contentLength() > options.maxSize()) {
      return Future.failedFuture(StorageError.EntityTooLarge.exception(
          "Your proposed upload exceeds the maximum allowed size of " + options.maxSize() + " bytes"));
    }
    // S3 computes the ETag; a chunked body that turns out small goes as one PutObject carrying our Content-MD5
    VerifyingStream verified = options.lengthKnown() ? VerifyingStream.declaredOnly(body, options)
        : VerifyingStream.md5AndDeclared(body, options);
    S3Requests requests = new S3Requests(options);
    boolean single = options.lengthKnown() && options.contentLength() <= SINGLE_PUT_LIMIT;
    return ready(bucket)
        .compose(v -> single
            ? streamedPut(requests, bucket, key, verified)
            : new MultipartUploader(s3, transfers, context, requests, bucket, key, verified, partSize(options))
                .upload())
        .compose(etag -> describe(bucket, key, etag, verified, requests))
        .recover(e -> explainBrokenUpload(context, bucket, e));
  }

  /**
   * A server that refuses an upload early (a missing bucket) may close the connection while the body is still
   * going out: the SDK then reports the broken pipe, not the server's answer. Ask about the bucket before
   * calling that an outage.
   */
  private Future<ObjectInfo> explainBrokenUpload(Context context, String bucket, Throwable failure) {
    StorageException mapped = S3Errors.map(failure);
    if (mapped.error() != StorageError.ServiceUnavailable) {
      return Future.failedFuture(mapped);
    }
    return Future.fromCompletionStage(s3.headBucket(b -> b.bucket(bucket)), context)
        .transform(head -> Future.failedFuture(head.failed() && S3Errors.status(head.cause()) == 404
            ? StorageError.NoSuchBucket.exception("The specified bucket does not exist") : mapped));
  }

  @Override
  public Future<ObjectRead> get(String bucket, String key, GetOptions options) {
    Context context = vertx.getOrCreateContext();
    if (options.headOnly()) {
      return head(context, bucket, key).map(info -> bodiless(info, ReadDecision.decide(info, options)));
    }
    if (options.range() != null && options.ifRange() != null) {
      // S3 has no If-Range: decide on the metadata, then read exactly that version
      return head(context, bucket, key).compose(info -> {
        ReadDecision decision = ReadDecision.decide(info, options);
        if (decision.status() == 304) {
          return Future.succeededFuture(bodiless(info, decision));
        }
        ByteRange range = decision.status() == 206 ? options.range() : null;
        return read(context, bucket, key, new GetOptions(range, info.getEtag(), null, null, null, null, false));
      });
    }
    return read(context, bucket, key, options);
  }

  @Override
  public Future<ObjectInfo> stat(String bucket, String key) {
    return head(vertx.getOrCreateContext(), bucket, key);
  }

  @Override
  public Future<Void> delete(String bucket, String key) {
    Context context = vertx.getOrCreateContext();
    // some S3 servers (S3Proxy) answer 204 for a missing bucket too: ask about the bucket alongside
    Future<?> bucketExists = Future.fromCompletionStage(s3.headBucket(b -> b.bucket(bucket)), context)
        .recover(e -> S3Errors.status(e) == 404
            ? Future.failedFuture(StorageError.NoSuchBucket.exception("The specified bucket does not exist"))
            : Future.succeededFuture());
    Future<?> deleted = Future.fromCompletionStage(s3.deleteObject(b -> b.bucket(bucket).key(key)), context);
    return Future.all(bucketExists, deleted)
        .<Void>mapEmpty()
        .recover(e -> Future.failedFuture(bucketExists.failed() ? bucketExists.cause() : S3Errors.map(e)));
  }

  @Override
  public Future<List<ObjectInfo>> list(String bucket, ListQuery query) {
    return listFrom(vertx.getOrCreateContext(), bucket, query, null, new ArrayList<>());
  }

  @Override
  public Future<PresignedUrl> presign(String bucket, String key, PresignRequest request) {
    String method = request.method().toUpperCase(Locale.ROOT);
    PresignedRequest presigned = switch (method) {
      case "GET" -> presigner.presignGetObject(p -> p.signatureDuration(request.expiry())
          .getObjectRequest(g -> g.bucket(bucket).key(key)));
      case "PUT" -> presigner.presignPutObject(p -> p.signatureDuration(request.expiry())
          .putObjectRequest(g -> g.bucket(bucket).key(key)));
      default -> null;
    };
    if (presigned == null) {
      return Future.failedFuture(StorageError.InvalidArgument.exception("Only GET and PUT can be presigned"));
    }
    return Future.succeededFuture(
        new PresignedUrl(presigned.url().toString(), method, bucket, key, presigned.expiration()));
  }

  /** A server-side copy ({@link S3Copier}): the bytes never pass through the service. */
  @Override
  public Future<Void> copy(String bucket, String sourceKey, String targetKey) {
    return copier.copy(vertx.getOrCreateContext(), bucket, sourceKey, targetKey);
  }

  @Override
  public Future<List<String>> buckets() {
    return Future.fromCompletionStage(s3.listBuckets(), vertx.getOrCreateContext())
        .map(r -> r.buckets().stream().map(Bucket::name).toList())
        .recover(e -> Future.failedFuture(S3Errors.map(e)));
  }

  @Override
  public Future<Void> check(boolean deep) {
    Context context = vertx.getOrCreateContext();
    String bucket = minio.defaultBucket();
    Future<Void> reachable = ready(bucket)
        .compose(v -> Future.fromCompletionStage(s3.headBucket(b -> b.bucket(bucket)), context))
        .recover(e -> Future.failedFuture(S3Errors.status(e) == 404
            ? StorageError.NoSuchBucket.exception("The default bucket " + bucket + " does not exist")
            : S3Errors.map(e)))
        .mapEmpty();
    return deep ? reachable.compose(v -> probe(context, bucket)) : reachable;
  }

  private Future<Void> probe(Context context, String bucket) {
    String key = PROBE_PREFIX + UUID.randomUUID();
    byte[] content = key.getBytes(StandardCharsets.UTF_8);
    Future<Void> roundTrip = Future.fromCompletionStage(
            s3.putObject(b -> b.bucket(bucket).key(key), AsyncRequestBody.fromBytes(content)), context)
        .compose(put -> Future.fromCompletionStage(
            s3.getObject(b -> b.bucket(bucket).key(key), AsyncResponseTransformer.toBytes()), context))
        .compose(got -> Arrays.equals(got.asByteArray(), content) ? Future.succeededFuture()
            : Future.failedFuture(StorageError.InternalError.exception("The probe object read back differs")));
    // the probe is deleted whatever happened, and the first failure is the one reported
    return roundTrip
        .transform(checked -> Future.fromCompletionStage(s3.deleteObject(b -> b.bucket(bucket).key(key)), context)
            .<Void>mapEmpty()
            .transform(deleted -> checked.failed() ? Future.<Void>failedFuture(checked.cause())
                : deleted.failed() ? Future.<Void>failedFuture(deleted.cause()) : Future.<Void>succeededFuture()))
        .recover(e -> Future.failedFuture(S3Errors.map(e)));
  }

  /** The default bucket exists once created here; until then, every use of it tries to create it. */
  private Future<Void> ready(String bucket) {
    if (defaultBucketReady || !minio.autoCreateDefaultBucket() || !bucket.equals(minio.defaultBucket())) {
      return Future.succeededFuture();
    }
    return defaultBucket();
  }

  private Future<Void> defaultBucket() {
    return ensureBucket(minio.defaultBucket()).onSuccess(v -> defaultBucketReady = true);
  }

  private Future<String> streamedPut(S3Requests requests, String bucket, String key, VerifyingStream body) {
    return transfers.put(bucket, key, requests.options().contentLength(), requests.headers(), body);
  }

  /**
   * What was just stored, with S3's own Last-Modified; if another writer replaced it meanwhile, what this upload
   * knows of its object.
   */
  private Future<ObjectInfo> describe(String bucket, String key, String etag, VerifyingStream body,
                                      S3Requests requests) {
    return transfers.head(bucket, key, new GetOptions(null, etag, null, null, null, null, true))
        .map(r -> info(key, r, contentLength(r)))
        .otherwise(e -> new ObjectInfo(key, body.count(), Instant.now(), requests.options().contentType(), etag,
            requests.storedSha256()));
  }

  private Future<ObjectInfo> head(Context context, String bucket, String key) {
    return transfers.head(bucket, key, GetOptions.whole())
        .map(r -> info(key, r, contentLength(r)))
        .recover(e -> StorageError.NoSuchKey.is(e) ? missing(context, bucket) : Future.failedFuture(e));
  }

  /** A HEAD's 404 has no body to say what is missing: ask about the bucket. */
  private <T> Future<T> missing(Context context, String bucket) {
    return Future.fromCompletionStage(s3.headBucket(b -> b.bucket(bucket)), context)
        .transform(ar -> Future.failedFuture(ar.succeeded() || S3Errors.status(ar.cause()) != 404
            ? StorageError.NoSuchKey.exception("The specified key does not exist.")
            : StorageError.NoSuchBucket.exception("The specified bucket does not exist")));
  }

  private Future<ObjectRead> read(Context context, String bucket, String key, GetOptions options) {
    return transfers.get(bucket, key, options).compose(response -> {
      if (response.statusCode() == 304) {
        response.resume(); // no body: its end frees the connection for the next request
        return head(context, bucket, key).map(info -> bodiless(info, new ReadDecision(304,
            new ByteRange.Slice(0, info.getSize(), info.getSize()))));
      }
      return Future.succeededFuture(opened(key, response));
    });
  }

  private static S3ObjectRead opened(String key, HttpClientResponse r) {
    long length = contentLength(r);
    String contentRange = r.getHeader("Content-Range");
    ByteRange.Slice slice = contentRange == null ? new ByteRange.Slice(0, length, length)
        : slice(contentRange, length);
    return new S3ObjectRead(info(key, r, slice.size()), contentRange == null ? 200 : 206, slice, r);
  }

  /** An object as S3's GET or HEAD answer describes it; {@code size} is the whole object's. */
  private static ObjectInfo info(String key, HttpClientResponse r, long size) {
    return new ObjectInfo(key, size, HttpDate.parse(r.getHeader(HttpHeaders.LAST_MODIFIED)),
        r.getHeader(HttpHeaders.CONTENT_TYPE), r.getHeader(HttpHeaders.ETAG),
        r.getHeader("x-amz-meta-" + S3Requests.SHA256_METADATA));
  }

  private static long contentLength(HttpClientResponse r) {
    String length = r.getHeader(HttpHeaders.CONTENT_LENGTH);
    return length == null ? 0 : Long.parseLong(length);
  }

  /** {@code bytes first-last/size}, as S3 answers a range. */
  static ByteRange.Slice slice(String contentRange, long length) {
    String spec = contentRange.substring(contentRange.indexOf(' ') + 1);
    int dash = spec.indexOf('-');
    int slash = spec.indexOf('/');
    long first = Long.parseLong(spec.substring(0, dash));
    String total = spec.substring(slash + 1);
    long size = total.equals("*") ? first + length : Long.parseLong(total);
    return new ByteRange.Slice(first, length, size);
  }

  private static S3ObjectRead bodiless(ObjectInfo info, ReadDecision decision) {
    return new S3ObjectRead(info, decision.status(), decision.slice(), null);
  }

  private Future<List<ObjectInfo>> listFrom(Context context, String bucket, ListQuery query, String token,
                                            List<ObjectInfo> page) {
    ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(bucket).prefix(query.prefix())
        .maxKeys(Math.min(ListQuery.MAX_PAGE, query.maxKeys() - page.size()));
    if (!query.recursive()) {
      request.delimiter("/");
    }
    if (token != null) {
      request.continuationToken(token);
    } else if (query.startAfter() != null) {
      request.startAfter(query.startAfter());
    }
    return Future.fromCompletionStage(s3.listObjectsV2(request.build()), context)
        .recover(e -> Future.failedFuture(S3Errors.map(e)))
        .compose(r -> {
          collect(r, query, page);
          if (page.size() < query.maxKeys() && Boolean.TRUE.equals(r.isTruncated())) {
            return listFrom(context, bucket, query, r.nextContinuationToken(), page);
          }
          page.sort((a, b) -> ObjectNames.KEY_ORDER.compare(a.getKey(), b.getKey()));
          return Future.succeededFuture(page.size() > query.maxKeys() ? page.subList(0, query.maxKeys()) : page);
        });
  }

  /**
   * Keeps what sorts after {@code startAfter}: S3 may repeat the common prefix a {@code startAfter} inside it
   * falls into.
   */
  private static void collect(ListObjectsV2Response r, ListQuery query, List<ObjectInfo> page) {
    for (S3Object o : r.contents()) {
      if (query.after(o.key())) {
        page.add(new ObjectInfo(o.key(), o.size() == null ? 0 : o.size(), o.lastModified(), null, o.eTag(), null));
      }
    }
    r.commonPrefixes().forEach(p -> {
      if (query.after(p.prefix())) {
        page.add(ObjectInfo.commonPrefix(p.prefix()));
      }
    });
  }

  private static int partSize(PutOptions options) {
    long expected = options.lengthKnown() ? options.contentLength() : options.maxSize();
    long needed = (expected + MultipartUploader.MAX_PARTS - 1) / MultipartUploader.MAX_PARTS;
    return (int) Math.min(Integer.MAX_VALUE - 8, Math.max(MIN_PART_SIZE, needed));
  }
}
