package com.dante.cacciaguida.presign;

import com.dante.cacciaguida.storage.ObjectNames;
import com.dante.cacciaguida.storage.PresignRequest;
import com.dante.cacciaguida.storage.PresignedUrl;
import com.dante.cacciaguida.storage.StorageError;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Signs and verifies the service's own presigned URLs (API.md 4.3: the filesystem backend's, and those of
 * versioned buckets on any backend): a hex HMAC-SHA256 over
 * {@code METHOD \n bucket \n key \n expires}. The signature is checked before the expiry, so an altered URL is
 * {@code SignatureDoesNotMatch} whatever its expiry says, and in constant time, so it cannot be guessed byte by
 * byte.
 */
public final class PresignSigner {

  /** Query parameters of a presigned URL of this service. */
  public static final String EXPIRES_PARAM = "X-Expires";
  public static final String SIGNATURE_PARAM = "X-Signature";

  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec secret;

  public PresignSigner(byte[] secret) {
    if (secret == null || secret.length == 0) {
      throw new IllegalArgumentException("The presign secret is empty");
    }
    this.secret = new SecretKeySpec(secret.clone(), ALGORITHM);
  }

  /** A URL of this service: the object's route plus {@code X-Expires} and {@code X-Signature}. */
  public PresignedUrl presign(String bucket, String key, PresignRequest request) {
    long expires = Instant.now().plus(request.expiry()).getEpochSecond();
    String signature = sign(request.method(), bucket, key, expires);
    String url = request.baseUrl() + "/objects/" + bucket + "/" + ObjectNames.encodePath(key)
        + "?" + EXPIRES_PARAM + "=" + expires + "&" + SIGNATURE_PARAM + "=" + signature;
    return new PresignedUrl(url, request.method(), bucket, key, Instant.ofEpochSecond(expires));
  }

  public String sign(String method, String bucket, String key, long expiresEpochSeconds) {
    return HexFormat.of().formatHex(mac(method, bucket, key, Long.toString(expiresEpochSeconds)));
  }

  /**
   * Accepts a request made with a presigned URL, or fails {@code 403 SignatureDoesNotMatch} (altered, other method,
   * malformed) or {@code 403 ExpiredPresignedUrl}.
   */
  public void verify(String method, String bucket, String key, String expires, String signature, Instant now) {
    long expiresAt = parseExpires(expires);
    byte[] given = parseSignature(signature);
    if (!MessageDigest.isEqual(given, mac(method, bucket, key, Long.toString(expiresAt)))) {
      throw StorageError.SignatureDoesNotMatch.exception("The request signature does not match");
    }
    if (now.getEpochSecond() > expiresAt) {
      throw StorageError.ExpiredPresignedUrl.exception("The presigned URL expired at "
          + Instant.ofEpochSecond(expiresAt));
    }
  }

  private byte[] mac(String method, String bucket, String key, String expires) {
    String canonical = method.toUpperCase(Locale.ROOT) + "\n" + bucket + "\n" + key + "\n" + expires;
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(secret);
      return mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static long parseExpires(String expires) {
    try {
      return Long.parseLong(expires);
    } catch (NumberFormatException | NullPointerException e) {
      throw StorageError.SignatureDoesNotMatch.exception("X-Expires is missing or not a number");
    }
  }

  private static byte[] parseSignature(String signature) {
    try {
      return HexFormat.of().parseHex(signature);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw StorageError.SignatureDoesNotMatch.exception("X-Signature is missing or not hex");
    }
  }
}
