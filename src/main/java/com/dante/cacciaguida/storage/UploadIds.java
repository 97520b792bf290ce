package com.dante.cacciaguida.storage;

import java.util.regex.Pattern;

/**
 * The shape every upload id has (API.md 7): {@code [A-Za-z0-9_-]} with at least one {@code _}, which no bucket name
 * can contain, so {@code /uploads/{x}} names an upload exactly when {@code x} contains {@code _}.
 */
public final class UploadIds {

  /** Long enough for an S3 id that carries bucket, a 1024-byte key and the backend's upload id. */
  public static final int MAX_LENGTH = 4096;
  private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]*_[A-Za-z0-9_-]*");

  private UploadIds() {
  }

  public static boolean looksLikeUploadId(String segment) {
    return segment.indexOf('_') >= 0;
  }

  /** The id itself, or {@code 404 NoSuchUpload} when it cannot be one. */
  public static String validate(String uploadId) {
    if (uploadId == null || uploadId.length() > MAX_LENGTH || !SHAPE.matcher(uploadId).matches()) {
      throw noSuchUpload();
    }
    return uploadId;
  }

  public static StorageException noSuchUpload() {
    return StorageError.NoSuchUpload.exception("The specified upload does not exist. The upload ID may be invalid, "
        + "or the upload may have been aborted, completed or expired.");
  }
}
