package com.dante.cacciaguida.storage;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;

/**
 * An open multipart upload.
 *
 * @param uploadId    the service's id
 * @param bucket      the target bucket
 * @param key         the target key
 * @param contentType the object's content type, or null when unknown (S3 listings do not carry it)
 * @param initiated   when it was opened
 * @param parts       its parts by number (empty where not asked for)
 */
public record Upload(String uploadId, String bucket, String key, String contentType, Instant initiated,
                     List<Part> parts) {

  /** The create answer: {@code {"uploadId","bucket","key"}}. */
  public JsonObject toJson() {
    return new JsonObject().put("uploadId", uploadId).put("bucket", bucket).put("key", key);
  }

  /** A listing entry: the create answer plus {@code initiated} (ISO-8601 UTC). */
  public JsonObject toSummaryJson() {
    return toJson().put("initiated", initiated.toString());
  }

  /** The list-parts answer: the create answer plus {@code parts}. */
  public JsonObject toPartsJson() {
    JsonArray array = new JsonArray();
    parts.forEach(p -> array.add(p.toJson()));
    return toJson().put("parts", array);
  }
}
