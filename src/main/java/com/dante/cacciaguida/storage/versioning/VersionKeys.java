package com.dante.cacciaguida.storage.versioning;

import com.dante.cacciaguida.storage.StorageError;

import java.nio.charset.StandardCharsets;

/**
 * The service's reserved area inside every bucket, the same on either backend: keys starting with
 * {@value #RESERVED}, which callers can neither write nor see. Version {@code id} of key {@code k} is the object
 * {@code .cacciaguida/v/k/id} (the current version is also copied to {@code k} itself, so plain reads and listings
 * stay what they were), and the bucket's settings are {@code .cacciaguida/bucket.json}. The reserved keys sort
 * together, so a listing steps over all of them at once with {@link #PAST_RESERVED}.
 */
public final class VersionKeys {

  public static final String RESERVED = ".cacciaguida/";
  static final String VERSIONS = RESERVED + "v/";
  static final String SETTINGS = RESERVED + "bucket.json";
  /**
   * Sorts after every reserved key (all continue with a lower-case letter) and before every key a caller can
   * have after them (none of which starts with {@value #RESERVED}).
   */
  static final String PAST_RESERVED = RESERVED + "~";
  /** What S3 allows a key; a version key must fit too. */
  private static final int MAX_KEY_BYTES = 1024;
  private static final int VERSION_OVERHEAD = VERSIONS.length() + 1 + 21;

  private VersionKeys() {
  }

  public static boolean isReserved(String key) {
    return key.startsWith(RESERVED);
  }

  /** Refuses keys callers may not use: {@code 400 InvalidObjectKey}. */
  static String requireUserKey(String key) {
    if (isReserved(key)) {
      throw StorageError.InvalidObjectKey.exception("Keys starting with " + RESERVED + " are reserved");
    }
    return key;
  }

  /** Refuses keys too long to keep versions of (their version key would pass S3's 1024 bytes). */
  static String requireVersionable(String key) {
    if (key.getBytes(StandardCharsets.UTF_8).length + VERSION_OVERHEAD > MAX_KEY_BYTES) {
      throw StorageError.InvalidObjectKey.exception("Keys of a versioned bucket are at most "
          + (MAX_KEY_BYTES - VERSION_OVERHEAD) + " bytes");
    }
    return key;
  }

  static String versionKey(String key, String versionId) {
    return versionsOf(key) + versionId;
  }

  /** The prefix of the versions of exactly {@code key}: its direct children (deeper keys nest below). */
  static String versionsOf(String key) {
    return VERSIONS + key + "/";
  }

  /** The prefix of the versions of every key starting with {@code keyPrefix}. */
  static String versionsUnder(String keyPrefix) {
    return VERSIONS + keyPrefix;
  }

  /** A key of the form {@code .cacciaguida/v/<key>/<id>}. */
  static boolean isVersionKey(String storedKey) {
    return storedKey.startsWith(VERSIONS) && storedKey.lastIndexOf('/') > VERSIONS.length();
  }

  /** The user key of a version key. */
  static String keyOf(String versionKey) {
    return versionKey.substring(VERSIONS.length(), versionKey.lastIndexOf('/'));
  }

  /** The version id of a version key (not necessarily one of ours: see {@link VersionId#parse}). */
  static String idOf(String versionKey) {
    return versionKey.substring(versionKey.lastIndexOf('/') + 1);
  }
}
