package com.dante.cacciaguida.presign;

import com.dante.cacciaguida.config.StorageConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The HMAC key of the service's own presigned URLs: {@code presign.secret}, or when empty one generated once and
 * kept in {@code <root>/.presign-secret} (so URLs survive restarts and instances sharing the root agree).
 * Resolved at startup, before any event loop runs.
 */
public final class PresignSecret {

  static final String FILE = ".presign-secret";

  private PresignSecret() {
  }

  /** The config with {@code presign.secret} filled in. */
  public static StorageConfig resolve(StorageConfig config) {
    if (!config.presign().secret().isEmpty()) {
      return config;
    }
    Path file = config.filesystem().root().resolve(FILE);
    String secret = readOrCreate(file);
    return StorageConfig.from(config.json().copy()
        .put("presign", config.json().getJsonObject("presign").copy().put("secret", secret)));
  }

  private static String readOrCreate(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      if (!Files.exists(file)) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        try {
          Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
          Files.writeString(file, HexFormat.of().formatHex(random), StandardCharsets.US_ASCII);
        } catch (FileAlreadyExistsException raced) {
          // another instance created it first: use theirs
        }
      }
      String secret = Files.readString(file, StandardCharsets.US_ASCII).trim();
      if (secret.isEmpty()) {
        throw new IllegalStateException("presign secret file " + file + " is empty");
      }
      return secret;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the presign secret " + file, e);
    }
  }
}
