package com.dante.cacciaguida.storage.s3;

import com.dante.cacciaguida.storage.PutOptions;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;

import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The S3 requests of one upload, built from its {@link PutOptions}: the content type, the SHA-256 kept as user
 * metadata ({@code x-amz-meta-sha256}), and the digests the client sent, passed on so that S3 verifies them too.
 *
 * <p>User metadata must be sent before the body, so the SHA-256 is stored only when the client declared it
 * ({@code X-Checksum-Sha256}): the service checks it while streaming and S3 checks it again
 * ({@code x-amz-checksum-sha256}), so what is stored is proven. A digest computed while streaming would come too
 * late for a streamed PutObject, and rewriting the metadata afterwards would copy the object.
 *
 * @param options the upload's options
 */
record S3Requests(PutOptions options) {

  static final String SHA256_METADATA = "sha256";

  /** The headers of the upload's PutObject: content type, the declared digests, the SHA-256 to keep. */
  Map<String, String> headers() {
    Map<String, String> headers = new LinkedHashMap<>();
    if (options.contentType() != null) {
      headers.put("Content-Type", options.contentType());
    }
    headers.putAll(digestHeaders());
    if (storedSha256() != null) {
      headers.put("x-amz-meta-" + SHA256_METADATA, storedSha256());
    }
    return headers;
  }

  /** The digests the client declared, as headers for S3 to check the body against. */
  Map<String, String> digestHeaders() {
    Map<String, String> headers = new LinkedHashMap<>();
    if (options.contentMd5() != null) {
      headers.put("Content-MD5", options.contentMd5());
    }
    String sha256 = sha256Base64();
    if (sha256 != null) {
      headers.put("x-amz-checksum-sha256", sha256);
    }
    return headers;
  }

  CreateMultipartUploadRequest createMultipart(String bucket, String key) {
    return CreateMultipartUploadRequest.builder().bucket(bucket).key(key).contentType(options.contentType())
        .metadata(metadata()).build();
  }

  /** The hex SHA-256 the object will carry, or null. */
  String storedSha256() {
    return sha256Base64() == null ? null : options.sha256().toLowerCase(Locale.ROOT);
  }

  private Map<String, String> metadata() {
    String sha256 = storedSha256();
    return sha256 == null ? Map.of() : Map.of(SHA256_METADATA, sha256);
  }

  /** S3 wants the raw digest in base64; a malformed hex digest is left to the service's own BadDigest. */
  private String sha256Base64() {
    if (options.sha256() == null || options.sha256().length() != 64) {
      return null;
    }
    try {
      return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(options.sha256()));
    } catch (IllegalArgumentException notHex) {
      return null;
    }
  }
}
