package com.dante.cacciaguida.storage.s3;

import com.dante.cacciaguida.storage.MultipartStorage;
import com.dante.cacciaguida.storage.ObjectInfo;
import com.dante.cacciaguida.storage.ObjectNames;
import com.dante.cacciaguida.storage.Part;
import com.dante.cacciaguida.storage.PartRef;
import com.dante.cacciaguida.storage.PartSelection;
import com.dante.cacciaguida.storage.PutOptions;
import com.dante.cacciaguida.storage.StorageError;
import com.dante.cacciaguida.storage.Upload;
import com.dante.cacciaguida.storage.UploadIds;
import com.dante.cacciaguida.storage.VerifyingStream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Multipart uploads on S3, mapped onto S3's own multipart uploads. Ids are stateless ({@link S3UploadId}); parts
 * stream from the client into UploadPart ({@link S3Transfers#putPart}) with their declared length (S3 needs it up
 * front, so a chunked part is refused), and S3 itself checks a part's {@code Content-MD5} and SHA-256 beside the
 * service.
 *
 * <p>S3 cannot verify a whole-object SHA-256 of a multipart object, and nothing about an object can change after it
 * is written. So an upload lives on a hidden staging key ({@link S3UploadId#stagingKey()}); completion completes it
 * there, reads the assembled object back through SHA-256, and only when the digest is right copies it server-side
 * to its key, with the SHA-256 as metadata like a PUT's, atomically replacing the old object. A wrong digest
 * re-creates the upload from the assembled object (UploadPartCopy of each part's range: same parts, same ETags) so
 * that the upload stays open. The price is reading the object back once and a server-side copy, both proportional
 * to its size; in exchange every multipart object carries a verified SHA-256. Parts the completion left out are
 * dropped by S3, as S3 does.
 */
public final class S3MultipartStorage implements MultipartStorage {

  /** Above this a server-side copy must go in parts (S3's CopyObject limit). */
  static final long COPY_OBJECT_LIMIT = 5L * 1024 * 1024 * 1024;
  static final long COPY_PART_SIZE = 1024L * 1024 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(S3MultipartStorage.class);

  private final Vertx vertx;
  private final S3AsyncClient s3;
  private final S3Transfers transfers;
  private final byte[] secret;
  private final SecureRandom random = new SecureRandom();

  S3MultipartStorage(Vertx vertx, S3AsyncClient s3, S3Transfers transfers, byte[] secret) {
    this.vertx = vertx;
    this.s3 = s3;
    this.transfers = transfers;
    this.secret = secret.clone();
  }

  @Override
  public Future<Upload> create(String bucket, String key, String contentType) {
    Context context = vertx.getOrCreateContext();
    byte[] nonce = new byte[12];
    random.nextBytes(nonce);
    S3UploadId id = new S3UploadId(ObjectNames.validateBucket(bucket), ObjectNames.validateKey(key),
        Base64.getUrlEncoder().withoutPadding().encodeToString(nonce));
    return call(context, s3.createMultipartUpload(b -> b.bucket(bucket).key(id.stagingKey()).contentType(contentType)))
        .map(r -> new Upload(id.encode(secret), bucket, key, contentType, Instant.now(), List.of()));
  }

  @Override
  public Future<Part> uploadPart(String uploadId, int partNumber, ReadStream<Buffer> body, PutOptions options) {
    Context context = vertx.getOrCreateContext();
    if (!options.lengthKnown()) {
      return Future.failedFuture(StorageError.InvalidRequest.exception("A part needs a Content-Length on the S3 "
          + "backend (S3 streams a part only when its length is known)"));
    }
    // S3 computes the part's ETag: only what the client declared needs digesting here
    VerifyingStream verified = VerifyingStream.declaredOnly(body, options);
    Map<String, String> digests = new S3Requests(options).digestHeaders();
    return resolve(context, uploadId)
        .compose(upload -> transfers.putPart(upload.id().bucket(), upload.id().stagingKey(), upload.s3UploadId(),
            partNumber, options.contentLength(), digests, verified))
        .map(etag -> new Part(partNumber, verified.count(), etag));
  }

  @Override
  public Future<Upload> listParts(String uploadId) {
    Context context = vertx.getOrCreateContext();
    return resolve(context, uploadId).compose(upload -> parts(context, upload, null, new ArrayList<>())
        .map(parts -> new Upload(uploadId, upload.id().bucket(), upload.id().key(), null, upload.initiated(),
            parts)));
  }

  @Override
  public Future<ObjectInfo> complete(String uploadId, List<PartRef> requested, String sha256, String targetKey) {
    Context context = vertx.getOrCreateContext();
    return resolve(context, uploadId).compose(upload -> parts(context, upload, null, new ArrayList<>())
        .compose(parts -> {
          List<Part> selected = PartSelection.select(parts, requested);
          S3UploadId id = upload.id();
          List<CompletedPart> completed = selected.stream()
              .map(p -> CompletedPart.builder().partNumber(p.number()).eTag(p.etag()).build()).toList();
          return call(context, s3.completeMultipartUpload(b -> b.bucket(id.bucket()).key(id.stagingKey())
                  .uploadId(upload.s3UploadId()).multipartUpload(m -> m.parts(completed))
                  .overrideConfiguration(S3Clients.longCallOverride())))
              .compose(done -> verifyAndPublish(context, id, selected, sha256, targetKey));
        }));
  }

  @Override
  public Future<Void> abort(String uploadId) {
    Context context = vertx.getOrCreateContext();
    return resolve(context, uploadId).compose(upload -> call(context, s3.abortMultipartUpload(b -> b
        .bucket(upload.id().bucket()).key(upload.id().stagingKey()).uploadId(upload.s3UploadId()))).mapEmpty());
  }

  @Override
  public Future<List<Upload>> listUploads(String bucket) {
    Context context = vertx.getOrCreateContext();
    return multipartUploads(context, bucket, S3UploadId.STAGING_PREFIX, null, null, new ArrayList<>())
        .map(uploads -> {
          List<Upload> open = new ArrayList<>();
          for (MultipartUpload u : uploads) {
            S3UploadId id = S3UploadId.fromStagingKey(bucket, u.key());
            if (id != null) {
              open.add(new Upload(id.encode(secret), bucket, id.key(), null, u.initiated(), List.of()));
            }
          }
          open.sort(Comparator.comparing(Upload::key, ObjectNames.KEY_ORDER).thenComparing(Upload::initiated));
          return open;
        });
  }

  /**
   * Aborts every S3 multipart upload initiated before {@code olderThan} in every bucket, the service's own and
   * those a crashed streaming PUT left, and deletes staging objects a crash in mid-completion left.
   */
  @Override
  public Future<Integer> expire(Instant olderThan) {
    Context context = vertx.getOrCreateContext();
    return call(context, s3.listBuckets()).compose(buckets -> {
      Future<Integer> chain = Future.succeededFuture(0);
      for (var bucket : buckets.buckets()) {
        chain = chain.compose(n -> expire(context, bucket.name(), olderThan).map(m -> n + m));
      }
      return chain;
    });
  }

  @Override
  public Future<Integer> countOpen() {
    Context context = vertx.getOrCreateContext();
    return call(context, s3.listBuckets()).compose(buckets -> {
      Future<Integer> chain = Future.succeededFuture(0);
      for (var bucket : buckets.buckets()) {
        chain = chain.compose(n -> multipartUploads(context, bucket.name(), S3UploadId.STAGING_PREFIX, null, null,
            new ArrayList<>()).map(list -> n + list.size()));
      }
      return chain;
    });
  }

  private Future<Integer> expire(Context context, String bucket, Instant olderThan) {
    Predicate<Instant> old = t -> t != null && t.isBefore(olderThan);
    Future<Integer> uploads = multipartUploads(context, bucket, null, null, null, new ArrayList<>())
        .compose(list -> {
          List<Future<?>> aborts = new ArrayList<>();
          list.stream().filter(u -> old.test(u.initiated())).forEach(u -> aborts.add(call(context,
              s3.abortMultipartUpload(b -> b.bucket(bucket).key(u.key()).uploadId(u.uploadId())))
              .onSuccess(r -> LOG.info("Expired the multipart upload of {}/{}", bucket, u.key()))));
          return Future.all(aborts).map(all -> aborts.size());
        });
    Future<Integer> staged = call(context, s3.listObjectsV2(b -> b.bucket(bucket).prefix(S3UploadId.STAGING_PREFIX)))
        .compose(r -> {
          List<Future<?>> deletes = new ArrayList<>();
          r.contents().stream().filter(o -> old.test(o.lastModified())).forEach(o -> deletes.add(call(context,
              s3.deleteObject(b -> b.bucket(bucket).key(o.key())))));
          return Future.all(deletes).map(all -> 0);
        });
    return Future.all(uploads, staged).map(all -> uploads.result());
  }

  /** The assembled staging object: checked, then copied to its key, or turned back into an open upload. */
  private Future<ObjectInfo> verifyAndPublish(Context context, S3UploadId id, List<Part> parts, String sha256,
                                              String targetKey) {
    return digest(context, id).compose(read -> {
      if (sha256 != null && !sha256.equalsIgnoreCase(read.sha256())) {
        return reopen(context, id, parts)
            .eventually(() -> deleteStaging(context, id))
            .compose(v -> Future.failedFuture(StorageError.BadDigest.exception(
                "The X-Checksum-Sha256 you specified did not match the assembled object")));
      }
      return publish(context, id, read, targetKey)
          .eventually(() -> deleteStaging(context, id));
    });
  }

  /** What reading the staging object back found. */
  private record Assembled(long size, String contentType, String sha256) {
  }

  private Future<Assembled> digest(Context context, S3UploadId id) {
    MessageDigest sha = sha256();
    return call(context, s3.getObject(b -> b.bucket(id.bucket()).key(id.stagingKey()),
            AsyncResponseTransformer.toPublisher()))
        .compose(publisher -> {
          CompletableFuture<Void> done = publisher.subscribe(sha::update);
          return Future.fromCompletionStage(done, context)
              .recover(e -> Future.failedFuture(S3Errors.map(e)))
              .map(v -> new Assembled(publisher.response().contentLength(), publisher.response().contentType(),
                  HexFormat.of().formatHex(sha.digest())));
        });
  }

  private Future<ObjectInfo> publish(Context context, S3UploadId id, Assembled assembled, String targetKey) {
    Map<String, String> metadata = Map.of(S3Requests.SHA256_METADATA, assembled.sha256());
    Future<String> copied;
    if (assembled.size() <= COPY_OBJECT_LIMIT) {
      copied = call(context, s3.copyObject(b -> b.sourceBucket(id.bucket()).sourceKey(id.stagingKey())
          .destinationBucket(id.bucket()).destinationKey(targetKey).metadataDirective(MetadataDirective.REPLACE)
          .contentType(assembled.contentType()).metadata(metadata).overrideConfiguration(S3Clients.longCallOverride())))
          .map(r -> r.copyObjectResult().eTag());
    } else {
      copied = call(context, s3.createMultipartUpload(b -> b.bucket(id.bucket()).key(targetKey)
              .contentType(assembled.contentType()).metadata(metadata)))
          .compose(created -> copyRanges(context, id, targetKey, created.uploadId(), ranges(assembled.size()))
              .compose(completed -> call(context, s3.completeMultipartUpload(b -> b.bucket(id.bucket())
                  .key(targetKey).uploadId(created.uploadId()).multipartUpload(m -> m.parts(completed))
                  .overrideConfiguration(S3Clients.longCallOverride()))))
              .map(r -> r.eTag())
              .recover(e -> call(context, s3.abortMultipartUpload(b -> b.bucket(id.bucket()).key(targetKey)
                  .uploadId(created.uploadId()))).transform(ignored -> Future.failedFuture(e))));
    }
    return copied.compose(etag -> call(context, s3.headObject(b -> b.bucket(id.bucket()).key(targetKey)))
        .map(r -> new ObjectInfo(targetKey, r.contentLength(), r.lastModified(), r.contentType(), r.eTag(),
            r.metadata().get(S3Requests.SHA256_METADATA)))
        .otherwise(e -> new ObjectInfo(targetKey, assembled.size(), Instant.now(), assembled.contentType(), etag,
            assembled.sha256())));
  }

  /** A new S3 upload on the staging key holding the same parts, copied from the assembled object. */
  private Future<Void> reopen(Context context, S3UploadId id, List<Part> parts) {
    List<long[]> ranges = new ArrayList<>();
    long offset = 0;
    for (Part part : parts) {
      ranges.add(new long[] {part.number(), offset, part.size()});
      offset += part.size();
    }
    return call(context, s3.createMultipartUpload(b -> b.bucket(id.bucket()).key(id.stagingKey())))
        .compose(created -> copyRanges(context, id, id.stagingKey(), created.uploadId(), ranges))
        .onFailure(e -> LOG.warn("Could not reopen the upload of {}/{} after a failed completion: {}", id.bucket(),
            id.key(), e.getMessage()))
        .mapEmpty();
  }

  /** UploadPartCopy of {@code {partNumber, offset, length}} ranges of the staging object, one after another. */
  private Future<List<CompletedPart>> copyRanges(Context context, S3UploadId id, String targetKey, String uploadId,
                                                 List<long[]> ranges) {
    List<CompletedPart> completed = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (long[] range : ranges) {
      int number = (int) range[0];
      String bytes = "bytes=" + range[1] + "-" + (range[1] + range[2] - 1);
      chain = chain.compose(v -> call(context, s3.uploadPartCopy(b -> b.sourceBucket(id.bucket())
              .sourceKey(id.stagingKey()).destinationBucket(id.bucket()).destinationKey(targetKey)
              .uploadId(uploadId).partNumber(number).copySourceRange(bytes)
              .overrideConfiguration(S3Clients.longCallOverride())))
          .map(r -> {
            completed.add(CompletedPart.builder().partNumber(number).eTag(r.copyPartResult().eTag()).build());
            return null;
          }));
    }
    return chain.map(v -> completed);
  }

  private static List<long[]> ranges(long size) {
    long partSize = Math.max(COPY_PART_SIZE, (size + MAX_PARTS - 1) / MAX_PARTS);
    List<long[]> ranges = new ArrayList<>();
    for (long offset = 0, number = 1; offset < size; offset += partSize, number++) {
      ranges.add(new long[] {number, offset, Math.min(partSize, size - offset)});
    }
    return ranges;
  }

  private Future<Void> deleteStaging(Context context, S3UploadId id) {
    return call(context, s3.deleteObject(b -> b.bucket(id.bucket()).key(id.stagingKey())))
        .onFailure(e -> LOG.warn("Could not delete the staging object of {}/{}: {}", id.bucket(), id.key(),
            e.getMessage()))
        .<Void>mapEmpty().otherwiseEmpty();
  }

  /** An upload id and the S3 upload behind it. */
  private record Resolved(S3UploadId id, String s3UploadId, Instant initiated) {
  }

  private Future<Resolved> resolve(Context context, String uploadId) {
    S3UploadId id;
    try {
      id = S3UploadId.decode(uploadId, secret);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return multipartUploads(context, id.bucket(), id.stagingPrefix(), null, null, new ArrayList<>())
        .compose(uploads -> uploads.stream()
            .filter(u -> u.key().equals(id.stagingKey()))
            .max(Comparator.comparing(MultipartUpload::initiated, Comparator.nullsFirst(Comparator.naturalOrder())))
            .map(u -> Future.succeededFuture(new Resolved(id, u.uploadId(), u.initiated())))
            .orElseGet(() -> Future.failedFuture(UploadIds.noSuchUpload())));
  }

  private Future<List<MultipartUpload>> multipartUploads(Context context, String bucket, String prefix,
                                                         String keyMarker, String uploadIdMarker,
                                                         List<MultipartUpload> found) {
    return call(context, s3.listMultipartUploads(b -> b.bucket(bucket).prefix(prefix).keyMarker(keyMarker)
        .uploadIdMarker(uploadIdMarker)))
        .compose((ListMultipartUploadsResponse r) -> {
          // a server that ignores the prefix must not hand us others' uploads
          r.uploads().stream().filter(u -> prefix == null || u.key().startsWith(prefix)).forEach(found::add);
          return Boolean.TRUE.equals(r.isTruncated()) && r.nextKeyMarker() != null
              ? multipartUploads(context, bucket, prefix, r.nextKeyMarker(), r.nextUploadIdMarker(), found)
              : Future.succeededFuture(found);
        });
  }

  private Future<List<Part>> parts(Context context, Resolved upload, Integer marker, List<Part> found) {
    return call(context, s3.listParts(b -> b.bucket(upload.id().bucket()).key(upload.id().stagingKey())
        .uploadId(upload.s3UploadId()).partNumberMarker(marker)))
        .compose((ListPartsResponse r) -> {
          r.parts().forEach(p -> found.add(new Part(p.partNumber(), p.size() == null ? 0 : p.size(), p.eTag())));
          return Boolean.TRUE.equals(r.isTruncated()) && r.nextPartNumberMarker() != null
              ? parts(context, upload, r.nextPartNumberMarker(), found)
              : Future.succeededFuture(found);
        });
  }

  private static <T> Future<T> call(Context context, CompletableFuture<T> call) {
    return Future.fromCompletionStage(call, context).recover(e -> Future.failedFuture(S3Errors.map(e)));
  }


  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
