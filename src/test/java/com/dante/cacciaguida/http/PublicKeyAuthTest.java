package com.dante.cacciaguida.http;

import com.dante.cacciaguida.TestService;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** RS256 and ES256: tokens verified with the public key of a PEM file ({@code auth.jwt.publicKey}). */
@DisplayName("JWTs verified with a public key")
class PublicKeyAuthTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({"RS256, RSA", "ES256, EC"})
  @DisplayName("A token signed with the matching private key is accepted, one signed with another key is not")
  void publicKeyVerification(String algorithm, String keyType, @TempDir Path dir) throws Exception {
    KeyPair pair = keyPair(keyType);
    Path pem = dir.resolve("public.pem");
    Files.writeString(pem, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    try (TestService service = TestService.start(dir, Map.of(
        "STORAGE_AUTH_ENABLED", "true",
        "STORAGE_AUTH_JWT_ALGORITHM", algorithm,
        "STORAGE_AUTH_JWT_PUBLICKEY", pem.toString()))) {
      String good = signer(service, algorithm, pair).generateToken(new JsonObject().put("scope", "admin:*"),
          new JWTOptions().setAlgorithm(algorithm).setExpiresInMinutes(5));
      String bad = signer(service, algorithm, keyPair(keyType)).generateToken(
          new JsonObject().put("scope", "admin:*"), new JWTOptions().setAlgorithm(algorithm).setExpiresInMinutes(5));
      assertEquals(201, service.request(HttpMethod.PUT, "/objects/default/k")
          .putHeader("Authorization", "Bearer " + good).sendBuffer(Buffer.buffer("v")).await().statusCode());
      assertEquals(401, service.request(HttpMethod.GET, "/objects/default/k")
          .putHeader("Authorization", "Bearer " + bad).send().await().statusCode());
    }
  }

  private static JWTAuth signer(TestService service, String algorithm, KeyPair pair) {
    return JWTAuth.create(service.clientVertx(), new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
        .setAlgorithm(algorithm).setBuffer(pem("PRIVATE KEY", pair.getPrivate().getEncoded()))));
  }

  private static KeyPair keyPair(String type) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(type);
    if (type.equals("EC")) {
      generator.initialize(new ECGenParameterSpec("secp256r1"));
    } else {
      generator.initialize(2048);
    }
    return generator.generateKeyPair();
  }

  private static String pem(String label, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }
}
