package com.dante.cacciaguida.storage.s3;

import io.vertx.core.Context;
import io.vertx.core.Future;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import java.util.ArrayList;
import java.util.List;

/**
 * Server-side copies inside one bucket. Up to {@code singleCopyLimit} (S3's and MinIO's 5 GiB) one CopyObject
 * does it; a larger source (a model checkpoint) is copied as a multipart upload of UploadPartCopy ranges, one
 * part at a time, completed only when every part was copied and aborted on any failure, so the target is the
 * whole copy or what it was before. Content type and metadata (the SHA-256) go along either way. Copies take as
 * long as their size needs, so they run with the long timeouts of uploads.
 */
final class S3Copier {

  static final long MAX_SINGLE_COPY = 5L * 1024 * 1024 * 1024;
  static final long COPY_PART_SIZE = 512L * 1024 * 1024;

  private final S3AsyncClient s3;
  private final long singleCopyLimit;
  private final long partSize;

  S3Copier(S3AsyncClient s3, long singleCopyLimit, long partSize) {
    this.s3 = s3;
    this.singleCopyLimit = singleCopyLimit;
    this.partSize = partSize;
  }

  Future<Void> copy(Context context, String bucket, String sourceKey, String targetKey) {
    return Future.fromCompletionStage(s3.headObject(b -> b.bucket(bucket).key(sourceKey)), context)
        .compose(source -> {
          long size = source.contentLength() == null ? 0 : source.contentLength();
          if (size <= singleCopyLimit) {
            return Future.fromCompletionStage(s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(sourceKey)
                .destinationBucket(bucket).destinationKey(targetKey).copySourceIfMatch(source.eTag())
                .overrideConfiguration(S3Clients.longCallOverride())), context).mapEmpty();
          }
          return copyInParts(context, bucket, sourceKey, targetKey, source, size);
        })
        .recover(e -> Future.failedFuture(S3Errors.map(e)));
  }

  private Future<Void> copyInParts(Context context, String bucket, String sourceKey, String targetKey,
                                   HeadObjectResponse source, long size) {
    return Future.fromCompletionStage(s3.createMultipartUpload(b -> b.bucket(bucket).key(targetKey)
            .contentType(source.contentType()).metadata(source.metadata())), context)
        .compose(created -> {
          String uploadId = created.uploadId();
          List<CompletedPart> parts = new ArrayList<>();
          return copyPart(context, bucket, sourceKey, targetKey, source.eTag(), uploadId, size, 0, parts)
              .compose(v -> Future.fromCompletionStage(s3.completeMultipartUpload(b -> b.bucket(bucket)
                  .key(targetKey).uploadId(uploadId).multipartUpload(m -> m.parts(parts))
                  .overrideConfiguration(S3Clients.longCallOverride())), context))
              .<Void>mapEmpty()
              .recover(e -> Future.fromCompletionStage(s3.abortMultipartUpload(b -> b.bucket(bucket)
                      .key(targetKey).uploadId(uploadId)), context)
                  .transform(aborted -> Future.failedFuture(e)));
        });
  }

  private Future<Void> copyPart(Context context, String bucket, String sourceKey, String targetKey, String etag,
                                String uploadId, long size, long offset, List<CompletedPart> parts) {
    if (offset >= size) {
      return Future.succeededFuture();
    }
    long last = Math.min(size, offset + partSize) - 1;
    int number = parts.size() + 1;
    return Future.fromCompletionStage(s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey(sourceKey)
            .destinationBucket(bucket).destinationKey(targetKey).uploadId(uploadId).partNumber(number)
            .copySourceRange("bytes=" + offset + "-" + last).copySourceIfMatch(etag)
            .overrideConfiguration(S3Clients.longCallOverride())), context)
        .compose(r -> {
          parts.add(CompletedPart.builder().partNumber(number).eTag(r.copyPartResult().eTag()).build());
          return copyPart(context, bucket, sourceKey, targetKey, etag, uploadId, size, last + 1, parts);
        });
  }
}
