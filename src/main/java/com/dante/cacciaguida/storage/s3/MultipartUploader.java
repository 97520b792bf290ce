package com.dante.cacciaguida.storage.s3;

import com.dante.cacciaguida.storage.BufferReadStream;
import com.dante.cacciaguida.storage.StorageError;
import com.dante.cacciaguida.storage.VerifyingStream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stores a body of unknown or large length as an S3 multipart upload that this class drives itself (the SDK's
 * multipart client sends headers S3Proxy rejects and cannot take a one-shot stream). The body is cut into parts of
 * {@code partSize} bytes, buffered, and at most {@link #PARTS_IN_FLIGHT} parts travel at once while the body is
 * paused: memory stays below {@code partSize × (PARTS_IN_FLIGHT + 1)} whatever the object's size. Parts and a
 * small body travel over {@link S3Transfers}; creating, completing and aborting the upload over the SDK.
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
  private final S3Transfers transfers;
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

  MultipartUploader(S3AsyncClient s3, S3Transfers transfers, Context context, S3Requests requests, String bucket,
                    String key, VerifyingStream body, int partSize) {
    this.s3 = s3;
    this.transfers = transfers;
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

  /** The body ended before filling a part: one PutObject of what was buffered, with its MD5 for S3 to check. */
  private void putWhole() {
    Map<String, String> headers = new LinkedHashMap<>(requests.headers());
    headers.put("Content-MD5", Base64.getEncoder().encodeToString(HexFormat.of().parseHex(body.md5Hex())));
    transfers.put(bucket, key, part.length(), headers, new BufferReadStream(context, part))
        .onSuccess(result::tryComplete)
        .onFailure(result::tryFail);
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
    uploadId.compose(id -> uploadPart(id, number, full)
            // a buffered part can be sent again when S3 did not answer, as the SDK would retry it
            .recover(e -> StorageError.ServiceUnavailable.is(e) ? uploadPart(id, number, full)
                : Future.failedFuture(e)))
        .onComplete(ar -> {
          inFlight--;
          if (ar.failed()) {
            fail(S3Errors.map(ar.cause()));
          } else {
            parts.add(CompletedPart.builder().partNumber(number).eTag(ar.result()).build());
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
    // a server may assemble the parts before it answers: that takes as long as the object is large
    Future.fromCompletionStage(s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id)
            .multipartUpload(m -> m.parts(parts)).overrideConfiguration(S3Clients.longCallOverride())), context)
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

  private Future<String> uploadPart(String id, int number, Buffer content) {
    return transfers.putPart(bucket, key, id, number, content.length(), Map.of(),
        new BufferReadStream(context, content));
  }
}
