package com.dante.cacciaguida.auth;

import com.dante.cacciaguida.config.StorageConfig;
import com.dante.cacciaguida.storage.StorageError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Turns credentials into {@link Permissions} (API.md 8): bearer JWTs verified with the configured key (HS256
 * secret, or the RS256/ES256 public key of a PEM file), with expiry always and issuer and audience when
 * configured; and static API keys. Anything else is {@code 401 Unauthorized}. API keys are compared as SHA-256
 * digests against every configured key, so the time taken says nothing about how much of a key was right.
 */
public final class Authenticator {

  private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);
  private static final String SCOPE_CLAIM = "scope";

  private record Key(byte[] digest, Permissions permissions) {
  }

  private final JWTAuth jwt;
  private final List<Key> apiKeys;

  private Authenticator(JWTAuth jwt, List<Key> apiKeys) {
    this.jwt = jwt;
    this.apiKeys = apiKeys;
  }

  /** Reads the public key file when one is configured; fails when it cannot be read. */
  public static Future<Authenticator> create(Vertx vertx, StorageConfig.Auth auth) {
    List<Key> keys = auth.keys().stream()
        .map(k -> new Key(sha256(k.key()), Permissions.parse(k.scope())))
        .toList();
    return verificationKey(vertx, auth).map(key -> {
      JWTAuth jwt = null;
      if (key == null) {
        LOG.warn("auth.enabled without a JWT key ({}): bearer tokens are refused, only API keys work",
            auth.jwtAlgorithm().equals("HS256") ? "auth.jwt.secret" : "auth.jwt.publicKey");
      } else {
        JWTOptions checks = new JWTOptions();
        if (!auth.jwtIssuer().isEmpty()) {
          checks.setIssuer(auth.jwtIssuer());
        }
        if (!auth.jwtAudience().isEmpty()) {
          checks.addAudience(auth.jwtAudience());
        }
        jwt = JWTAuth.create(vertx, new JWTAuthOptions()
            .addPubSecKey(new PubSecKeyOptions().setAlgorithm(auth.jwtAlgorithm()).setBuffer(key))
            .setJWTOptions(checks));
      }
      return new Authenticator(jwt, keys);
    });
  }

  private static Future<String> verificationKey(Vertx vertx, StorageConfig.Auth auth) {
    if (auth.jwtAlgorithm().equals("HS256")) {
      return Future.succeededFuture(auth.jwtSecret().isEmpty() ? null : auth.jwtSecret());
    }
    if (auth.jwtPublicKey().isEmpty()) {
      return Future.succeededFuture(null);
    }
    return vertx.fileSystem().readFile(auth.jwtPublicKey())
        .map(pem -> pem.toString(StandardCharsets.US_ASCII))
        .recover(e -> Future.failedFuture(new IllegalStateException(
            "auth.jwt.publicKey: cannot read " + auth.jwtPublicKey() + ": " + e.getMessage(), e)));
  }

  /** The permissions of a bearer JWT's {@code scope} claim. */
  public Future<Permissions> bearer(String token) {
    if (jwt == null) {
      return Future.failedFuture(StorageError.Unauthorized.exception("Bearer tokens are not accepted here"));
    }
    return jwt.authenticate(new TokenCredentials(token))
        .map(user -> Permissions.parse(scope(user.principal())))
        .recover(e -> Future.failedFuture(StorageError.Unauthorized.exception(
            "The bearer token is not valid: " + e.getMessage())));
  }

  /** The permissions of a static API key. */
  public Future<Permissions> apiKey(String key) {
    byte[] digest = sha256(key);
    Permissions found = null;
    for (Key candidate : apiKeys) {
      if (MessageDigest.isEqual(candidate.digest(), digest) && found == null) {
        found = candidate.permissions();
      }
    }
    return found == null
        ? Future.failedFuture(StorageError.Unauthorized.exception("The API key is not valid"))
        : Future.succeededFuture(found);
  }

  private static String scope(JsonObject claims) {
    Object scope = claims.getValue(SCOPE_CLAIM);
    if (scope instanceof JsonArray entries) {
      return String.join(" ", entries.stream().map(String::valueOf).toList());
    }
    return scope instanceof String s ? s : "";
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
