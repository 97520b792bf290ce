package com.dante.cacciaguida.storage.s3;

import com.dante.cacciaguida.storage.UploadIds;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The service's id of an upload on S3, which needs no session store: after the bucket ({@link UploadIds}),
 * {@code base64url(bucket, key, nonce)}, an underscore, and a truncated HMAC of it under the presign secret, so that a forged or mangled id is
 * {@code NoSuchUpload} before S3 is asked (some S3 servers accept parts for upload ids they never issued). The
 * nonce names the upload's staging key ({@link #stagingKey()}), where S3's own multipart upload lives; S3's upload
 * id is looked up from it, because a failed completion re-creates that upload under a new S3 id.
 *
 * @param bucket the target bucket
 * @param key    the target key
 * @param nonce  random, {@code [A-Za-z0-9_-]}
 */
record S3UploadId(String bucket, String key, String nonce) {

  /** Where uploads live until completed and verified; a dot segment no listing of user data starts with. */
  static final String STAGING_PREFIX = ".cacciaguida-uploads/";
  private static final int MAC_BYTES = 10;

  /** The key the S3 multipart upload and, during completion, the assembled object have. */
  String stagingKey() {
    return stagingPrefix() + key;
  }

  /** The staging keys of this upload start with this. */
  String stagingPrefix() {
    return STAGING_PREFIX + nonce + "/";
  }

  /** Reads an upload back from a staging key, or null for any other key. */
  static S3UploadId fromStagingKey(String bucket, String stagingKey) {
    if (!stagingKey.startsWith(STAGING_PREFIX)) {
      return null;
    }
    String rest = stagingKey.substring(STAGING_PREFIX.length());
    int slash = rest.indexOf('/');
    return slash <= 0 || slash == rest.length() - 1 ? null
        : new S3UploadId(bucket, rest.substring(slash + 1), rest.substring(0, slash));
  }

  String encode(byte[] secret) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF(bucket);
      out.writeUTF(key);
      out.writeUTF(nonce);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] payload = bytes.toByteArray();
    return UploadIds.create(bucket, Base64.getUrlEncoder().withoutPadding().encodeToString(payload) + "_"
        + HexFormat.of().formatHex(mac(secret, payload)));
  }

  /** The upload an id names, or {@code 404 NoSuchUpload} when it is not one this service issued. */
  static S3UploadId decode(String uploadId, byte[] secret) {
    String bucket = UploadIds.bucketOf(uploadId);
    String own = UploadIds.backendPart(uploadId);
    int underscore = own.lastIndexOf('_');
    if (underscore < 0) {
      throw UploadIds.noSuchUpload();
    }
    S3UploadId id;
    try {
      byte[] payload = Base64.getUrlDecoder().decode(own.substring(0, underscore));
      byte[] mac = HexFormat.of().parseHex(own.substring(underscore + 1));
      if (!MessageDigest.isEqual(mac, mac(secret, payload))) {
        throw UploadIds.noSuchUpload();
      }
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
        id = new S3UploadId(in.readUTF(), in.readUTF(), in.readUTF());
      }
    } catch (IllegalArgumentException | IOException malformed) {
      throw UploadIds.noSuchUpload();
    }
    if (!id.bucket().equals(bucket)) {
      throw UploadIds.noSuchUpload();
    }
    return id;
  }

  private static byte[] mac(byte[] secret, byte[] payload) {
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(secret.length == 0 ? new byte[1] : secret, "HmacSHA256"));
      return Arrays.copyOf(hmac.doFinal(payload), MAC_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
