package com.dante.cacciaguida.storage.versioning;

import com.dante.cacciaguida.storage.ObjectInfo;

import java.time.Instant;

/**
 * One version met by a {@link VersionWalk}.
 *
 * @param key             the caller's key
 * @param id              the version
 * @param stored          the version object as listed (size, etag, Last-Modified)
 * @param latest          the key's newest version
 * @param noncurrentSince when a newer version replaced it; null for the latest
 */
public record VersionEntry(String key, VersionId id, ObjectInfo stored, boolean latest, Instant noncurrentSince) {

  /** ObjectInfo plus {@code versionId}, {@code isLatest} and {@code deleteMarker} (API.md 9). */
  public ObjectInfo toInfo() {
    boolean marker = id.kind().marker();
    return new ObjectInfo(key, marker ? 0 : stored.getSize(), id.created(), marker ? null : stored.getContentType(),
        marker ? null : stored.getEtag(), marker ? null : stored.getSha256())
        .setVersionId(id.id()).setLatest(latest).setDeleteMarker(marker);
  }
}
