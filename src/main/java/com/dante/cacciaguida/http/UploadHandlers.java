package com.dante.cacciaguida.http;

import com.dante.cacciaguida.storage.ContentTypes;
import com.dante.cacciaguida.storage.MultipartStorage;
import com.dante.cacciaguida.storage.ObjectNames;
import com.dante.cacciaguida.storage.PartRef;
import com.dante.cacciaguida.storage.PutOptions;
import com.dante.cacciaguida.metrics.StorageMetrics;
import com.dante.cacciaguida.storage.StorageError;
import com.dante.cacciaguida.storage.versioning.VersionedStorage;
import com.dante.cacciaguida.storage.StorageException;
import com.dante.cacciaguida.storage.UploadIds;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Multipart upload routes (API.md 7). {@code /uploads/{x}…} names an upload when {@code x} contains {@code _}
 * (which no bucket can), else a bucket: {@code POST /uploads/{bucket}/{key…}} opens an upload,
 * {@code POST /uploads/{uploadId}/complete} completes one. Parts stream from the connection into the backend like
 * PUT bodies; their limit is the part size ({@link MultipartStorage#MAX_PART_SIZE}), not
 * {@code server.maxUploadSize}.
 */
public class UploadHandlers {

  static final String UPLOADS = "/uploads/";
  private static final String PARTS = "/parts/";
  private static final String COMPLETE = "/complete";

  private final MultipartStorage multipart;
  private final VersionedStorage versions;
  private final String defaultBucket;
  private final StorageMetrics metrics;

  public UploadHandlers(MultipartStorage multipart, VersionedStorage versions, String defaultBucket,
                        StorageMetrics metrics) {
    this.multipart = multipart;
    this.versions = versions;
    this.metrics = metrics;
    this.defaultBucket = defaultBucket;
  }

  /** The bucket a request under {@code /uploads/} acts on: named in the path or carried by the upload id. */
  public String bucket(RoutingContext ctx) {
    String rest = rest(ctx);
    int slash = rest.indexOf('/');
    String first = slash < 0 ? rest : rest.substring(0, slash);
    return UploadIds.looksLikeUploadId(first) ? UploadIds.bucketOf(first)
        : ObjectNames.validateBucket(ObjectNames.percentDecode(first));
  }

  /** The bucket of {@code GET /uploads?bucket=…}. */
  public String listedBucket(RoutingContext ctx) {
    return ObjectNames.validateBucket(ctx.request().getParam("bucket", defaultBucket));
  }

  /** {@code POST /uploads/{bucket}/{key…}} or {@code POST /uploads/{uploadId}/complete}. */
  public void post(RoutingContext ctx) {
    String rest = rest(ctx);
    int slash = rest.indexOf('/');
    String first = slash < 0 ? rest : rest.substring(0, slash);
    if (UploadIds.looksLikeUploadId(first)) {
      if (!rest.substring(first.length()).equals(COMPLETE)) {
        throw noSuchRoute();
      }
      complete(ctx, first);
    } else {
      create(ctx);
    }
  }

  /** {@code PUT /uploads/{uploadId}/parts/{n}}: the body streams into the part. */
  public void uploadPart(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    request.pause();
    String rest = rest(ctx);
    int parts = rest.indexOf(PARTS);
    if (parts < 0 || !UploadIds.looksLikeUploadId(rest.substring(0, parts))) {
      throw noSuchRoute();
    }
    String uploadId = rest.substring(0, parts);
    int number = partNumber(rest.substring(parts + PARTS.length()));
    long length = ObjectHandlers.contentLength(request);
    if (length > MultipartStorage.MAX_PART_SIZE) {
      throw StorageError.EntityTooLarge.exception("A part may have at most " + MultipartStorage.MAX_PART_SIZE
          + " bytes");
    }
    String sha256 = ObjectHandlers.checksum(request);
    if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
      ctx.response().writeContinue();
    }
    PutOptions options = new PutOptions(null, length, MultipartStorage.MAX_PART_SIZE,
        request.getHeader("Content-MD5"), sha256);
    multipart.uploadPart(uploadId, number, request, options)
        .onSuccess(part -> Json.send(ctx, 200, part.toJson()))
        .onFailure(e -> Failures.fail(ctx, e));
  }

  /** {@code GET /uploads/{uploadId}}: the upload with its parts. */
  public void listParts(RoutingContext ctx) {
    multipart.listParts(uploadId(ctx))
        .onSuccess(upload -> Json.send(ctx, 200, upload.toPartsJson()))
        .onFailure(e -> Failures.fail(ctx, e));
  }

  /** {@code DELETE /uploads/{uploadId}}. */
  public void abort(RoutingContext ctx) {
    multipart.abort(uploadId(ctx))
        .onSuccess(v -> {
          metrics.multipartUploadClosed();
          ctx.response().setStatusCode(204).end();
        })
        .onFailure(e -> Failures.fail(ctx, e));
  }

  /** {@code GET /uploads?bucket=…}: the bucket's open uploads (the default bucket's without the parameter). */
  public void listUploads(RoutingContext ctx) {
    multipart.listUploads(listedBucket(ctx))
        .onSuccess(uploads -> {
          JsonArray array = new JsonArray();
          uploads.forEach(u -> array.add(u.toSummaryJson()));
          Json.send(ctx, 200, array);
        })
        .onFailure(e -> Failures.fail(ctx, e));
  }

  private void create(RoutingContext ctx) {
    String path = ctx.request().path();
    if (path.indexOf('/', UPLOADS.length()) < 0) {
      throw StorageError.InvalidArgument.exception("Name the object as /uploads/{bucket}/{key}");
    }
    ObjectPath target = ObjectPath.resolve(path, UPLOADS, defaultBucket);
    JsonObject body = jsonBody(ctx);
    Object contentType = body.getValue("contentType");
    if (contentType != null && !(contentType instanceof String)) {
      throw StorageError.InvalidArgument.exception("contentType must be a string");
    }
    String type = contentType == null || ((String) contentType).isBlank() ? ContentTypes.guess(target.key())
        : (String) contentType;
    multipart.create(target.bucket(), target.key(), type)
        .onSuccess(upload -> {
          metrics.multipartUploadOpened();
          Json.send(ctx, 201, upload.toJson());
        })
        .onFailure(e -> Failures.fail(ctx, e));
  }

  private void complete(RoutingContext ctx, String uploadId) {
    String sha256 = ObjectHandlers.checksum(ctx.request());
    List<PartRef> parts = requestedParts(jsonBody(ctx));
    IdleTimeoutPause.untilEnd(ctx);
    // completion writes a new version like a PUT: the versioning layer picks the key it lands at
    multipart.listParts(uploadId)
        .compose(upload -> versions.commitVersion(upload.bucket(), upload.key(),
            target -> multipart.complete(uploadId, parts, sha256, target)))
        .onSuccess(info -> {
          if (info.getVersionId() != null) {
            ctx.response().putHeader(ObjectHandlers.VERSION_HEADER, info.getVersionId());
          }
          metrics.multipartUploadClosed();
          Json.send(ctx, 201, info.toJson());
        })
        .onFailure(e -> Failures.fail(ctx, e));
  }

  /** {@code {"parts":[{"part":1,"etag":"…"}…]}}, or null (all parts) for an empty body or no {@code parts}. */
  private static List<PartRef> requestedParts(JsonObject body) {
    Object value = body.getValue("parts");
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array) || array.size() > MultipartStorage.MAX_PARTS) {
      throw StorageError.InvalidArgument.exception("parts must be an array of at most "
          + MultipartStorage.MAX_PARTS + " {\"part\",\"etag\"} entries");
    }
    List<PartRef> parts = new ArrayList<>(array.size());
    for (Object entry : array) {
      if (!(entry instanceof JsonObject part) || !(part.getValue("part") instanceof Integer number)
          || !(part.getValue("etag") instanceof String etag)) {
        throw StorageError.InvalidArgument.exception("Each part must be {\"part\":<number>,\"etag\":<string>}");
      }
      parts.add(new PartRef(number, etag));
    }
    return parts;
  }

  private static JsonObject jsonBody(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().length() == 0) {
      return new JsonObject();
    }
    try {
      JsonObject body = ctx.body().asJsonObject();
      return body == null ? new JsonObject() : body;
    } catch (DecodeException | ClassCastException e) {
      throw StorageError.InvalidArgument.exception("The body is not a JSON object");
    }
  }

  private static int partNumber(String text) {
    try {
      int number = Integer.parseInt(text);
      if (number >= 1 && number <= MultipartStorage.MAX_PARTS) {
        return number;
      }
    } catch (NumberFormatException notANumber) {
      // answered below
    }
    throw StorageError.InvalidArgument.exception("Part number must be an integer between 1 and "
        + MultipartStorage.MAX_PARTS);
  }

  private static String uploadId(RoutingContext ctx) {
    String rest = rest(ctx);
    if (rest.indexOf('/') >= 0 || !UploadIds.looksLikeUploadId(rest)) {
      throw noSuchRoute();
    }
    return rest;
  }

  private static String rest(RoutingContext ctx) {
    return ctx.request().path().substring(UPLOADS.length());
  }

  private static StorageException noSuchRoute() {
    return StorageError.NotFound.exception("No such route");
  }
}
