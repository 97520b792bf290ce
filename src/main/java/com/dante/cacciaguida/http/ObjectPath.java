package com.dante.cacciaguida.http;

import com.dante.cacciaguida.storage.ObjectNames;
import com.dante.cacciaguida.storage.StorageError;

/**
 * Bucket and key of a request, resolved from the raw (still percent-encoded) path, because vertx-web's
 * normalised path has already resolved {@code ..} and {@code %2e%2e} before anyone could reject them
 * (API.md 3): {@code /objects/{a}} is key {@code a} in the default bucket, {@code /objects/{a}/{rest…}} is bucket
 * {@code a}, key {@code rest}. Each part is percent-decoded exactly once, then validated.
 */
public record ObjectPath(String bucket, String key) {

  /**
   * @param rawPath       {@code HttpServerRequest.path()}
   * @param prefix        the route prefix, e.g. {@code /objects/}
   * @param defaultBucket the bucket of one-segment paths
   */
  public static ObjectPath resolve(String rawPath, String prefix, String defaultBucket) {
    if (!rawPath.startsWith(prefix)) {
      throw StorageError.InvalidObjectKey.exception("The object path is not valid");
    }
    String rest = rawPath.substring(prefix.length());
    int slash = rest.indexOf('/');
    if (slash < 0) {
      return new ObjectPath(defaultBucket, ObjectNames.validateKey(ObjectNames.percentDecode(rest)));
    }
    String bucket = ObjectNames.validateBucket(ObjectNames.percentDecode(rest.substring(0, slash)));
    return new ObjectPath(bucket, ObjectNames.validateKey(ObjectNames.percentDecode(rest.substring(slash + 1))));
  }

  /** The bucket segment of {@code /prefix/{bucket}[/…]}: for routes that name only a bucket. */
  public static String bucketOf(String rawPath, String prefix) {
    String rest = rawPath.substring(prefix.length());
    int slash = rest.indexOf('/');
    return ObjectNames.validateBucket(ObjectNames.percentDecode(slash < 0 ? rest : rest.substring(0, slash)));
  }
}
