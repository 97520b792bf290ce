package com.dante.cacciaguida.storage;

import java.util.regex.Pattern;

/**
 * The shape every upload id has (API.md 7): {@code [A-Za-z0-9_-]} with at least one {@code _}, which no bucket name
 * can contain, so {@code /uploads/{x}} names an upload exactly when {@code x} contains {@code _}. An id starts with
 * its bucket (a {@code .} spelled {@code -1}, a {@code -} spelled {@code -0}) up to the first {@code _}, so a request
 * naming only the upload can be authorised for its bucket before the backend is asked; the rest is the backend's,
 * which must refuse an id whose bucket prefix is not the upload's own.
 */
public final class UploadIds {

  /** Long enough for an S3 id that carries bucket, a 1024-byte key and a nonce. */
  public static final int MAX_LENGTH = 4096;
  private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9-]+_[A-Za-z0-9_-]+");

  private UploadIds() {
  }

  public static boolean looksLikeUploadId(String segment) {
    return segment.indexOf('_') >= 0;
  }

  /** The id of an upload in {@code bucket} whose backend part is {@code backendPart}. */
  public static String create(String bucket, String backendPart) {
    StringBuilder id = new StringBuilder(bucket.length() + 1 + backendPart.length());
    for (int i = 0; i < bucket.length(); i++) {
      char c = bucket.charAt(i);
      id.append(c == '-' ? "-0" : c == '.' ? "-1" : String.valueOf(c));
    }
    return id.append('_').append(backendPart).toString();
  }

  /** The bucket an id names, or {@code 404 NoSuchUpload} when it cannot be an id. */
  public static String bucketOf(String uploadId) {
    String token = validate(uploadId).substring(0, uploadId.indexOf('_'));
    StringBuilder bucket = new StringBuilder(token.length());
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c != '-') {
        bucket.append(c);
      } else if (i + 1 < token.length() && (token.charAt(i + 1) == '0' || token.charAt(i + 1) == '1')) {
        bucket.append(token.charAt(++i) == '0' ? '-' : '.');
      } else {
        throw noSuchUpload();
      }
    }
    try {
      return ObjectNames.validateBucket(bucket.toString());
    } catch (StorageException notABucket) {
      throw noSuchUpload();
    }
  }

  /** What follows the bucket: the backend's own part of the id. */
  public static String backendPart(String uploadId) {
    return validate(uploadId).substring(uploadId.indexOf('_') + 1);
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
