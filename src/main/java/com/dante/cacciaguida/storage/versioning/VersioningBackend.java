package com.dante.cacciaguida.storage.versioning;

import io.vertx.core.Future;

import java.util.List;

/**
 * What versioning needs of a backend beyond {@link com.dante.cacciaguida.storage.ObjectStorage}: copying an object
 * inside the service's own storage without the bytes passing through it, and the list of buckets to sweep.
 */
public interface VersioningBackend {

  /**
   * Makes {@code targetKey} an atomic copy of {@code sourceKey} (content, content type, digests and
   * Last-Modified where the backend keeps it): readers of the target see its old content or the whole copy.
   * Fails {@code 404 NoSuchKey} when the source is missing.
   */
  Future<Void> copy(String bucket, String sourceKey, String targetKey);

  /** Every bucket of the backend, sorted by name. */
  Future<List<String>> buckets();
}
