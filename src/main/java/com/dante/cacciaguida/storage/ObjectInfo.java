package com.dante.cacciaguida.storage;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * What is known about a stored object (or, in a non-recursive listing, a common prefix: key ending in
 * {@code /}, size 0). JSON: {@code {"key","size","lastModified","contentType","etag","sha256"?}} with
 * {@code lastModified} in ISO-8601 UTC and {@code etag} quoted, as S3 sends it. In a versioned bucket
 * (API.md 9) it also carries {@code versionId}, and in a versions listing {@code isLatest} and
 * {@code deleteMarker}.
 */
@DataObject
public class ObjectInfo {

  private String key;
  private long size;
  private Instant lastModified;
  private String contentType;
  private String etag;
  private String sha256;
  private String versionId;
  private Boolean latest;
  private Boolean deleteMarker;

  public ObjectInfo() {
  }

  public ObjectInfo(String key, long size, Instant lastModified, String contentType, String etag, String sha256) {
    this.key = key;
    this.size = size;
    this.lastModified = lastModified == null ? null : lastModified.truncatedTo(ChronoUnit.SECONDS);
    this.contentType = contentType;
    this.etag = etag;
    this.sha256 = sha256;
  }

  public ObjectInfo(JsonObject json) {
    this(json.getString("key"),
        json.getLong("size", 0L),
        json.getString("lastModified") == null ? null : Instant.parse(json.getString("lastModified")),
        json.getString("contentType"),
        json.getString("etag"),
        json.getString("sha256"));
    this.versionId = json.getString("versionId");
    this.latest = json.getBoolean("isLatest");
    this.deleteMarker = json.getBoolean("deleteMarker");
  }

  /** A common prefix of a non-recursive listing. */
  public static ObjectInfo commonPrefix(String prefix) {
    return new ObjectInfo(prefix, 0, null, null, null, null);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("key", key).put("size", size);
    if (lastModified != null) json.put("lastModified", lastModified.toString());
    if (contentType != null) json.put("contentType", contentType);
    if (etag != null) json.put("etag", etag);
    if (sha256 != null) json.put("sha256", sha256);
    if (versionId != null) json.put("versionId", versionId);
    if (latest != null) json.put("isLatest", latest);
    if (deleteMarker != null) json.put("deleteMarker", deleteMarker);
    return json;
  }

  public boolean isCommonPrefix() {
    return key.endsWith("/") && etag == null;
  }

  public String getKey() {
    return key;
  }

  public long getSize() {
    return size;
  }

  public Instant getLastModified() {
    return lastModified;
  }

  public String getContentType() {
    return contentType;
  }

  /** The quoted ETag, e.g. {@code "\"9e107d9d372bb6826bd81d3542a419d6\""}. */
  public String getEtag() {
    return etag;
  }

  /** Hex SHA-256 of the content, when known. */
  public String getSha256() {
    return sha256;
  }

  /** The version this describes, in a versioned bucket; null otherwise. */
  public String getVersionId() {
    return versionId;
  }

  /** In a versions listing: whether this is the key's newest version; null elsewhere. */
  public Boolean isLatest() {
    return latest;
  }

  /** In a versions listing: whether this version is a delete marker; null elsewhere. */
  public Boolean isDeleteMarker() {
    return deleteMarker;
  }

  public ObjectInfo setVersionId(String versionId) {
    this.versionId = versionId;
    return this;
  }

  public ObjectInfo setLatest(Boolean latest) {
    this.latest = latest;
    return this;
  }

  public ObjectInfo setDeleteMarker(Boolean deleteMarker) {
    this.deleteMarker = deleteMarker;
    return this;
  }

  public ObjectInfo setKey(String key) {
    this.key = key;
    return this;
  }

  public ObjectInfo setSize(long size) {
    this.size = size;
    return this;
  }

  public ObjectInfo setLastModified(Instant lastModified) {
    this.lastModified = lastModified == null ? null : lastModified.truncatedTo(ChronoUnit.SECONDS);
    return this;
  }

  public ObjectInfo setContentType(String contentType) {
    this.contentType = contentType;
    return this;
  }

  public ObjectInfo setEtag(String etag) {
    this.etag = etag;
    return this;
  }

  public ObjectInfo setSha256(String sha256) {
    this.sha256 = sha256;
    return this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ObjectInfo other && toJson().equals(other.toJson());
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, size, etag);
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
