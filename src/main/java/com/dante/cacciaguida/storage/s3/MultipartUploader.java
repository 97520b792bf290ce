package com.dante.cacciaguida.storage.s3;

import com.dante.cacciaguida.storage.StorageError;
import com.dante.cacciaguida.storage.VerifyingStream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * Stores a body of unknown or large length as an S3 multipart upload that this class drives itself (the SDK's
 * multipart client sends headers S3Proxy rejects and cannot take a one-shot stream). The body is cut into parts of
 * {@code partSize} bytes, buffered, and at most {@link #PARTS_IN_FLIGHT} parts travel at once while the body is
 * paused: memory stays below {@code partSize × (PARTS_IN_FLIGHT + 1)} whatever the object's size.
 *
 * <p>The upload is created only when the first part is full, so a small chunked body becomes one plain PutObject.
 * It is completed only after the body ended normally (verified by {@link VerifyingStream}); any failure (client
 * gone, too large, bad digest, S3 error) waits for the parts in flight, then aborts the upload, so nothing is left
 * behind and the previous object stays.
 */
final class MultipartUploader {

  static final int PARTS_IN_FLIGHT = 2;
  static final int MAX_PARTS = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(MultipartUploader.class);

  private final S3AsyncClient s3;
  private final Context context;
  private final S3Requests requests;
  private final String bucket;
  private final String key;
  private final VerifyingStream body;
  private final int partSize;
  private final Promise<String> result = Promise.promise();
  private final List<CompletedPart> parts = new ArrayList<>();
  private Buffer part;
  private Future<String> uploadId;
  private int partNumber;
  private int inFlight;
  private boolean ended;
  private Throwable failure;

  MultipartUploader(S3AsyncClient s3, Context context, S3Requests requests, String bucket, String key,
                    VerifyingStream body, int partSize) {
    this.s3 = s3;
    this.context = context;
    this.requests = requests;
    this.bucket = bucket;
    this.key = key;
    this.body = body;
    this.partSize = partSize;
    this.part = Buffer.buffer(partSize);
  }

  /** Reads the whole body into S3; answers the stored object's ETag. */
  Future<String> upload() {
    body.exceptionHandler(e -> fail(S3Errors.ofBody(e)));
    body.endHandler(v -> end());
    body.handler(this::chunk);
    body.resume();
    return result.future();
  }

  private void chunk(Buffer chunk) {
    if (failure != null) {
      return;
    }
    part.appendBuffer(chunk);
    if (part.length() >= partSize) {
      sendPart();
    }
  }

  private void end() {
    if (failure != null) {
      return;
    }
    ended = true;
    if (uploadId == null) {
      putWhole();
    } else {
      if (part.length() > 0) {
        sendPart();
      }
      completeWhenIdle();
    }
  }

  /** The body ended before filling a part: one PutObject of what was buffered. */
  private void putWhole() {
    ByteBuffer bytes = nio(part);
    PutObjectRequest request = requests.put(bucket, key, part.length())
        .contentMD5(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(body.md5Hex())))
        .build();
    Future.fromCompletionStage(s3.putObject(request, AsyncRequestBody.fromByteBufferUnsafe(bytes)), context)
        .onSuccess(r -> result.tryComplete(r.eTag()))
        .onFailure(e -> result.tryFail(S3Errors.map(e)));
  }

  private void sendPart() {
    if (partNumber == MAX_PARTS) {
      fail(StorageError.EntityTooLarge.exception("The upload needs more than " + MAX_PARTS + " parts of "
          + partSize + " bytes"));
      return;
    }
    Buffer full = part;
    part = Buffer.buffer(partSize);
    int number = ++partNumber;
    inFlight++;
    if (uploadId == null) {
      uploadId = Future.fromCompletionStage(s3.createMultipartUpload(requests.createMultipart(bucket, key)), context)
          .map(CreateMultipartUploadResponse::uploadId);
    }
    if (inFlight >= PARTS_IN_FLIGHT || !uploadId.isComplete()) {
      body.pause();
    }
    uploadId.compose(id -> {
          UploadPartRequest request = UploadPartRequest.builder().bucket(bucket).key(key).uploadId(id)
              .partNumber(number).contentLength((long) full.length())
              .overrideConfiguration(S3Clients.partOverride()).build();
          return Future.fromCompletionStage(
              s3.uploadPart(request, AsyncRequestBody.fromByteBufferUnsafe(nio(full))), context);
        })
        .onComplete(ar -> {
          inFlight--;
          if (ar.failed()) {
            fail(S3Errors.map(ar.cause()));
          } else {
            parts.add(CompletedPart.builder().partNumber(number).eTag(ar.result().eTag()).build());
            if (ended) {
              completeWhenIdle();
            } else if (failure == null) {
              body.resume();
            }
          }
          abortWhenIdle();
        });
  }

  private void completeWhenIdle() {
    if (inFlight > 0 || failure != null || result.future().isComplete()) {
      return;
    }
    parts.sort(Comparator.comparingInt(CompletedPart::partNumber));
    String id = uploadId.result();
    Future.fromCompletionStage(s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id)
            .multipartUpload(m -> m.parts(parts))), context)
        .onSuccess(r -> result.tryComplete(r.eTag()))
        .onFailure(e -> fail(S3Errors.map(e)));
  }

  private void fail(Throwable cause) {
    if (failure != null) {
      return;
    }
    failure = cause;
    body.pause();
    part = Buffer.buffer(0);
    abortWhenIdle();
  }

  /** Aborts once no part is travelling: a part finishing after the abort would linger in S3. */
  private void abortWhenIdle() {
    if (failure == null || inFlight > 0 || result.future().isComplete()) {
      return;
    }
    if (uploadId == null || uploadId.failed()) {
      result.tryFail(failure);
      return;
    }
    uploadId
        .compose(id -> Future.fromCompletionStage(
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id)), context))
        .onFailure(e -> LOG.warn("Could not abort the multipart upload of {}/{}: {}", bucket, key, e.getMessage()))
        .onComplete(ar -> result.tryFail(failure));
  }

  private static ByteBuffer nio(Buffer buffer) {
    return ((BufferInternal) buffer).getByteBuf().nioBuffer();
  }
}
