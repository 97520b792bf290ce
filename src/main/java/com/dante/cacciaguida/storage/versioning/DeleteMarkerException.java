package com.dante.cacciaguida.storage.versioning;

import com.dante.cacciaguida.storage.StorageError;
import com.dante.cacciaguida.storage.StorageException;

/**
 * The key's current version is a delete marker ({@code 404 NoSuchKey}), or a delete marker was addressed by its
 * version id ({@code 405 MethodNotAllowed}): answered with {@code X-Delete-Marker: true} and the marker's id.
 */
public final class DeleteMarkerException extends StorageException {

  private final String versionId;

  DeleteMarkerException(StorageError error, String detail, String versionId) {
    super(error, detail);
    this.versionId = versionId;
  }

  public String versionId() {
    return versionId;
  }
}
