package com.dante.cacciaguida.presign;

import com.dante.cacciaguida.storage.StorageError;
import com.dante.cacciaguida.storage.StorageException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PresignSignerTest {

  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
  private static final long EXPIRES = NOW.plusSeconds(900).getEpochSecond();

  private final PresignSigner signer = new PresignSigner("secret".getBytes(StandardCharsets.UTF_8));
  private final String signature = signer.sign("GET", "datasets", "a/b.bin", EXPIRES);

  @Test
  @DisplayName("a signature verifies for its method, bucket, key and expiry until it expires")
  void valid() {
    assertDoesNotThrow(() -> signer.verify("GET", "datasets", "a/b.bin", Long.toString(EXPIRES), signature, NOW));
    assertDoesNotThrow(() -> signer.verify("GET", "datasets", "a/b.bin", Long.toString(EXPIRES), signature,
        Instant.ofEpochSecond(EXPIRES)));
  }

  @Test
  @DisplayName("after its expiry the URL is ExpiredPresignedUrl")
  void expired() {
    assertRefused(StorageError.ExpiredPresignedUrl, () -> signer.verify("GET", "datasets", "a/b.bin",
        Long.toString(EXPIRES), signature, Instant.ofEpochSecond(EXPIRES + 1)));
  }

  @Test
  @DisplayName("an altered key, bucket or expiry, another method, another secret or garbage is SignatureDoesNotMatch")
  void altered() {
    String expires = Long.toString(EXPIRES);
    assertRefused(StorageError.SignatureDoesNotMatch,
        () -> signer.verify("GET", "datasets", "a/c.bin", expires, signature, NOW));
    assertRefused(StorageError.SignatureDoesNotMatch,
        () -> signer.verify("GET", "other", "a/b.bin", expires, signature, NOW));
    assertRefused(StorageError.SignatureDoesNotMatch,
        () -> signer.verify("PUT", "datasets", "a/b.bin", expires, signature, NOW));
    assertRefused(StorageError.SignatureDoesNotMatch,
        () -> signer.verify("GET", "datasets", "a/b.bin", Long.toString(EXPIRES + 3600), signature, NOW));
    assertRefused(StorageError.SignatureDoesNotMatch,
        () -> new PresignSigner("other".getBytes(StandardCharsets.UTF_8))
            .verify("GET", "datasets", "a/b.bin", expires, signature, NOW));
    assertRefused(StorageError.SignatureDoesNotMatch,
        () -> signer.verify("GET", "datasets", "a/b.bin", expires, "zz", NOW));
    assertRefused(StorageError.SignatureDoesNotMatch,
        () -> signer.verify("GET", "datasets", "a/b.bin", "soon", signature, NOW));
    assertRefused(StorageError.SignatureDoesNotMatch,
        () -> signer.verify("GET", "datasets", "a/b.bin", expires, null, NOW));
  }

  private static void assertRefused(StorageError expected, Executable verification) {
    StorageException refused = assertThrows(StorageException.class, verification);
    assertEquals(expected, refused.error());
    assertEquals(403, refused.failureCode());
  }
}
