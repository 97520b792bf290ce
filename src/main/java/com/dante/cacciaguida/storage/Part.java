package com.dante.cacciaguida.storage;

import io.vertx.core.json.JsonObject;

/**
 * One uploaded part.
 *
 * @param number 1…{@value MultipartStorage#MAX_PARTS}
 * @param size   its length in bytes
 * @param etag   quoted, as S3 sends it
 */
public record Part(int number, long size, String etag) {

  public JsonObject toJson() {
    return new JsonObject().put("part", number).put("size", size).put("etag", etag);
  }
}
