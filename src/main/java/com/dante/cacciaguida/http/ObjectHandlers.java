package com.dante.cacciaguida.http;

import com.dante.cacciaguida.storage.ByteRange;
import com.dante.cacciaguida.storage.ContentTypes;
import com.dante.cacciaguida.storage.GetOptions;
import com.dante.cacciaguida.storage.HttpDate;
import com.dante.cacciaguida.storage.ObjectInfo;
import com.dante.cacciaguida.storage.ObjectRead;
import com.dante.cacciaguida.storage.PutOptions;
import com.dante.cacciaguida.storage.StorageError;
import com.dante.cacciaguida.storage.StorageException;
import com.dante.cacciaguida.storage.versioning.DeleteMarkerException;
import com.dante.cacciaguida.storage.versioning.VersionedStorage;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.util.regex.Pattern;

/**
 * Object routes: bodies stream between the HTTP connection and the backend ({@link VersionedStorage}) with
 * backpressure; control operations (delete, listing) go over the event bus ({@link CallerStorage}).
 * Downloads answer ranges ({@code 206}/{@code 416}) and conditional requests ({@code 304}/{@code 412}) and carry
 * {@code X-Content-Type-Options: nosniff} and {@code Content-Security-Policy: sandbox}, so an uploaded HTML page
 * cannot run script in the service's origin. In a versioned bucket, {@code ?versionId=} addresses one version
 * and answers carry {@code X-Version-Id} (and {@code X-Delete-Marker: true} where a delete marker is met).
 */
public class ObjectHandlers {

  static final String OBJECTS = "/objects/";
  private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
  private static final String CHECKSUM_HEADER = "X-Checksum-Sha256";
  private static final String VERSION_ID = "versionId";
  static final String VERSION_HEADER = "X-Version-Id";
  private static final String DELETE_MARKER_HEADER = "X-Delete-Marker";
  // header names and constant values every download sets, encoded once
  private static final CharSequence CHECKSUM = HttpHeaders.createOptimized(CHECKSUM_HEADER);
  private static final CharSequence VERSION = HttpHeaders.createOptimized(VERSION_HEADER);
  private static final CharSequence BYTES = HttpHeaders.createOptimized("bytes");
  private static final CharSequence NO_SNIFF_HEADER = HttpHeaders.createOptimized("X-Content-Type-Options");
  private static final CharSequence NO_SNIFF = HttpHeaders.createOptimized("nosniff");
  private static final CharSequence CSP_HEADER = HttpHeaders.createOptimized("Content-Security-Policy");
  private static final CharSequence SANDBOX = HttpHeaders.createOptimized("sandbox");

  private final VersionedStorage backend;
  private final CallerStorage storage;
  private final String defaultBucket;
  private final long maxUploadSize;

  public ObjectHandlers(VersionedStorage backend, CallerStorage storage, String defaultBucket, long maxUploadSize) {
    this.backend = backend;
    this.storage = storage;
    this.defaultBucket = defaultBucket;
    this.maxUploadSize = maxUploadSize;
  }

  public ObjectPath path(RoutingContext ctx) {
    return ObjectPath.resolve(ctx.request().path(), OBJECTS, defaultBucket);
  }

  public void upload(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    request.pause();
    ObjectPath path = path(ctx);
    long length = contentLength(request);
    if (length > maxUploadSize) {
      throw tooLarge();
    }
    String sha256 = checksum(request);
    String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (contentType == null || contentType.isBlank()) {
      contentType = ContentTypes.guess(path.key());
    }
    if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
      ctx.response().writeContinue();
    }
    PutOptions options = new PutOptions(contentType, length, maxUploadSize, request.getHeader("Content-MD5"),
        sha256);
    backend.put(path.bucket(), path.key(), request, options)
        .onSuccess(info -> {
          if (info.getVersionId() != null) {
            ctx.response().putHeader(VERSION_HEADER, info.getVersionId());
          }
          Json.send(ctx, 201, info.toJson());
        })
        .onFailure(e -> Failures.fail(ctx, StorageError.EntityTooLarge.is(e) ? tooLarge() : e));
  }

  public void download(RoutingContext ctx) {
    read(ctx, false);
  }

  public void head(RoutingContext ctx) {
    read(ctx, true);
  }

  public void delete(RoutingContext ctx) {
    ObjectPath path = path(ctx);
    String versionId = ctx.request().getParam(VERSION_ID);
    if (versionId != null) {
      backend.deleteVersion(path.bucket(), path.key(), versionId)
          .onSuccess(removed -> {
            ctx.response().putHeader(VERSION_HEADER, removed.getVersionId());
            if (Boolean.TRUE.equals(removed.isDeleteMarker())) {
              ctx.response().putHeader(DELETE_MARKER_HEADER, "true");
            }
            ctx.response().setStatusCode(204).end();
          })
          .onFailure(e -> Failures.fail(ctx, e));
      return;
    }
    storage.of(ctx).delete(path.bucket(), path.key())
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(e -> Failures.fail(ctx, e));
  }

  private void read(RoutingContext ctx, boolean headOnly) {
    ObjectPath path = path(ctx);
    HttpServerRequest request = ctx.request();
    GetOptions options = new GetOptions(
        ByteRange.parse(request.getHeader("Range")),
        request.getHeader(HttpHeaders.IF_MATCH),
        request.getHeader(HttpHeaders.IF_NONE_MATCH),
        HttpDate.parse(request.getHeader(HttpHeaders.IF_MODIFIED_SINCE)),
        HttpDate.parse(request.getHeader("If-Unmodified-Since")),
        request.getHeader("If-Range"),
        headOnly);
    String versionId = request.getParam(VERSION_ID);
    if (versionId != null && ctx.get(PresignedAccess.PRESIGNED) != null) {
      // the signature covers the key, not a version of it
      throw StorageError.AccessDenied.exception("A presigned URL does not reach other versions");
    }
    Future<ObjectRead> opened = versionId == null ? backend.get(path.bucket(), path.key(), options)
        : backend.getVersion(path.bucket(), path.key(), versionId, options);
    opened
        .onSuccess(read -> send(ctx, read, headOnly))
        .onFailure(e -> {
          StorageException error = StorageException.from(e);
          if (e instanceof DeleteMarkerException marker) {
            ctx.response().putHeader(DELETE_MARKER_HEADER, "true").putHeader(VERSION_HEADER, marker.versionId());
            Failures.fail(ctx, e);
          } else if (error != null && error.error() == StorageError.InvalidRange) {
            answerUnsatisfiable(ctx, path, error);
          } else {
            Failures.fail(ctx, e);
          }
        });
  }

  private void send(RoutingContext ctx, ObjectRead read, boolean headOnly) {
    HttpServerResponse response = ctx.response();
    ObjectInfo info = read.info();
    response.setStatusCode(read.status());
    MultiMap headers = response.headers();
    if (info.getEtag() != null) headers.set(HttpHeaders.ETAG, info.getEtag());
    if (info.getLastModified() != null) {
      headers.set(HttpHeaders.LAST_MODIFIED, HttpDate.format(info.getLastModified()));
    }
    headers.set(HttpHeaders.ACCEPT_RANGES, BYTES);
    if (info.getSha256() != null) headers.set(CHECKSUM, info.getSha256());
    if (info.getVersionId() != null) headers.set(VERSION, info.getVersionId());
    if (read.status() == 304) {
      read.close();
      response.end();
      return;
    }
    headers.set(HttpHeaders.CONTENT_TYPE, info.getContentType() == null ? ContentTypes.OCTET_STREAM
        : info.getContentType());
    headers.set(HttpHeaders.CONTENT_LENGTH, Long.toString(read.slice().length()));
    headers.set(NO_SNIFF_HEADER, NO_SNIFF);
    headers.set(CSP_HEADER, SANDBOX);
    if (read.status() == 206) {
      headers.set("Content-Range", read.slice().contentRange());
    }
    if (headOnly || ctx.request().method() == HttpMethod.HEAD) {
      read.close();
      response.end();
      return;
    }
    read.sendTo(response).onFailure(e -> Failures.fail(ctx, e));
  }

  /** 416 carries {@code Content-Range: bytes *}{@code /size} so the client learns the size (RFC 9110 15.5.17). */
  private void answerUnsatisfiable(RoutingContext ctx, ObjectPath path, StorageException error) {
    backend.stat(path.bucket(), path.key())
        .onSuccess(info -> ctx.response().putHeader("Content-Range", "bytes */" + info.getSize()))
        .onComplete(ar -> Failures.send(ctx, error));
  }

  /** The hex digest of {@code X-Checksum-Sha256}, or null; anything but 64 hex digits is {@code 400}. */
  static String checksum(HttpServerRequest request) {
    String sha256 = request.getHeader(CHECKSUM_HEADER);
    if (sha256 != null && !HEX_SHA256.matcher(sha256).matches()) {
      throw StorageError.InvalidArgument.exception(CHECKSUM_HEADER + " must be 64 hex digits");
    }
    return sha256;
  }

  /** The declared body length, or -1 for a chunked body. */
  static long contentLength(HttpServerRequest request) {
    MultiMap headers = request.headers();
    if (headers.contains(HttpHeaders.CONTENT_LENGTH) && headers.contains(HttpHeaders.TRANSFER_ENCODING)) {
      throw StorageError.InvalidRequest.exception("A request must not carry both Content-Length and "
          + "Transfer-Encoding");
    }
    String header = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (header == null) {
      return -1;
    }
    try {
      long length = Long.parseLong(header.trim());
      if (length < 0) {
        throw new NumberFormatException();
      }
      return length;
    } catch (NumberFormatException e) {
      throw StorageError.InvalidArgument.exception("Content-Length is not a valid length");
    }
  }

  private StorageException tooLarge() {
    return StorageError.EntityTooLarge.exception("Your proposed upload exceeds the maximum allowed size of "
        + maxUploadSize + " bytes for a single PUT; upload larger objects in parts with "
        + "POST /uploads/{bucket}/{key} (multipart upload)");
  }

}
