package com.dante.cacciaguida.http;

import com.dante.cacciaguida.TestService;
import com.dante.cacciaguida.storage.StorageService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * API.md 8 over real HTTP and the real event bus, with auth on (HS256, issuer and audience checked, API keys):
 * every action against every kind of credential, presigned URLs, and bus callers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Authentication and per-bucket authorization")
class AuthApiTest {

  private static final String SECRET = "test-secret-that-is-long-enough-for-hs256";
  private static final String ISSUER = "https://issuer.test";
  private static final String AUDIENCE = "storage";
  private static final String BUCKET = "datasets";
  private static final String OTHER = "other";
  private static final String API_KEY = "key-with-every-action-on-datasets";
  private static final String API_KEY_ELSEWHERE = "key-for-other-only";
  private static final AtomicInteger NAMES = new AtomicInteger();

  private TestService service;
  private JWTAuth signer;
  private JWTAuth wrongSigner;

  /** An operation of API.md 4, with the scope that grants it on a bucket and its answer when granted. */
  private enum Operation {
    READ(200, "read"),
    WRITE(201, "write"),
    DELETE(204, "delete"),
    LIST(200, "list"),
    PRESIGN_GET(200, "presign read"),
    PRESIGN_PUT(200, "presign write"),
    CREATE_BUCKET(201, "admin");

    final int granted;
    final String actions;

    Operation(int granted, String actions) {
      this.granted = granted;
      this.actions = actions;
    }

    String scopeOn(String bucket) {
      return String.join(" ", Stream.of(actions.split(" ")).map(a -> a + ":" + bucket).toList());
    }
  }

  /** A kind of credentials: how to attach it for an operation, and the status it must get. */
  private enum Caller {
    NONE(op -> 401),
    BAD_SIGNATURE(op -> 401),
    EXPIRED(op -> 401),
    WRONG_AUDIENCE(op -> 401),
    LACKING_SCOPE(op -> 403),
    RIGHT_SCOPE(op -> op.granted),
    WILDCARD_SCOPE(op -> op.granted),
    ADMIN(op -> op.granted),
    API_KEY(op -> op.granted),
    UNKNOWN_API_KEY(op -> 401),
    API_KEY_LACKING(op -> 403);

    final Function<Operation, Integer> expected;

    Caller(Function<Operation, Integer> expected) {
      this.expected = expected;
    }
  }

  @BeforeAll
  void start(@TempDir Path dir) {
    String keys = "[{\"key\":\"" + API_KEY + "\",\"scope\":\"read:datasets write:datasets delete:datasets "
        + "list:datasets presign:datasets admin:datasets\"},{\"key\":\"" + API_KEY_ELSEWHERE
        + "\",\"scope\":\"admin:other\"}]";
    service = TestService.start(dir, Map.of(
        "STORAGE_AUTH_ENABLED", "true",
        "STORAGE_AUTH_JWT_SECRET", SECRET,
        "STORAGE_AUTH_JWT_ISSUER", ISSUER,
        "STORAGE_AUTH_JWT_AUDIENCE", AUDIENCE,
        "STORAGE_AUTH_APIKEYS", keys));
    signer = hs256(SECRET);
    wrongSigner = hs256("another-secret-another-secret-another");
    for (String bucket : List.of(BUCKET, OTHER)) {
      assertEquals(201, service.request(HttpMethod.POST, "/buckets/" + bucket)
          .putHeader("X-Api-Key", bucket.equals(BUCKET) ? API_KEY : API_KEY_ELSEWHERE).send().await().statusCode());
    }
    assertEquals(201, withKey(service.request(HttpMethod.PUT, "/objects/datasets/seed"))
        .sendBuffer(Buffer.buffer("seed data")).await().statusCode());
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.close();
    }
  }

  static Stream<Arguments> table() {
    List<Arguments> rows = new ArrayList<>();
    for (Operation op : Operation.values()) {
      for (Caller caller : Caller.values()) {
        rows.add(Arguments.of(op, caller));
      }
    }
    return rows.stream();
  }

  @ParameterizedTest(name = "{0} with {1}")
  @MethodSource("table")
  @DisplayName("Each operation is answered 401, 403 or done according to the caller's credentials")
  void operationByCaller(Operation op, Caller caller) {
    HttpRequest<Buffer> request = request(op);
    switch (caller) {
      case NONE -> { }
      case BAD_SIGNATURE -> bearer(request, wrongSigner.generateToken(claims("admin:*"), valid()));
      case EXPIRED -> bearer(request, signer.generateToken(
          claims("admin:*").put("exp", Instant.now().minusSeconds(60).getEpochSecond()), checked()));
      case WRONG_AUDIENCE -> bearer(request, signer.generateToken(claims("admin:*"),
          checked().setAudience(List.of("someone-else")).setExpiresInMinutes(5)));
      case LACKING_SCOPE -> bearer(request, token(op.scopeOn(OTHER) + " " + othersOn(op, BUCKET)));
      case RIGHT_SCOPE -> bearer(request, token(op.scopeOn(BUCKET)));
      case WILDCARD_SCOPE -> bearer(request, token(op.scopeOn("*")));
      case ADMIN -> bearer(request, token("admin:" + BUCKET));
      case API_KEY -> request.putHeader("X-Api-Key", API_KEY);
      case UNKNOWN_API_KEY -> request.putHeader("X-Api-Key", API_KEY + "x");
      case API_KEY_LACKING -> request.putHeader("X-Api-Key", API_KEY_ELSEWHERE);
    }
    HttpResponse<Buffer> response = send(op, request);
    int expected = caller.expected.apply(op);
    assertEquals(expected, response.statusCode(), response.bodyAsString());
    if (expected == 401) {
      assertEquals("Bearer", response.getHeader("WWW-Authenticate"));
      assertEquals("Unauthorized", response.bodyAsJsonObject().getString("error"));
    } else if (expected == 403) {
      assertEquals("AccessDenied", response.bodyAsJsonObject().getString("error"));
    }
  }

  @Test
  @DisplayName("A token scoped read:datasets reads datasets, gets 403 writing and on other buckets")
  void readOnlyToken() {
    String token = token("read:datasets");
    HttpResponse<Buffer> read = bearer(service.request(HttpMethod.GET, "/objects/datasets/seed"), token)
        .send().await();
    assertEquals("seed data", read.bodyAsString());
    assertEquals(200, bearer(service.request(HttpMethod.HEAD, "/objects/datasets/seed"), token)
        .send().await().statusCode());
    assertEquals(403, bearer(service.request(HttpMethod.PUT, "/objects/datasets/seed"), token)
        .sendBuffer(Buffer.buffer("overwritten")).await().statusCode());
    assertEquals(403, bearer(service.request(HttpMethod.GET, "/objects/other/seed"), token)
        .send().await().statusCode());
    assertEquals(403, bearer(service.request(HttpMethod.GET, "/objects/datasets/list"), token)
        .send().await().statusCode());
    assertEquals("seed data", service.request(HttpMethod.GET, "/objects/datasets/seed")
        .putHeader("X-Api-Key", API_KEY).send().await().bodyAsString());
  }

  @Test
  @DisplayName("Presigning needs presign and the method's permission; the URLs then work without credentials")
  void presignedUrls() {
    String presignOnly = token("presign:datasets");
    assertEquals(403, presign(presignOnly, "seed", "GET").statusCode());
    assertEquals(403, presign(presignOnly, "fresh", "PUT").statusCode());
    assertEquals(403, presign(token("presign:datasets read:datasets"), "fresh", "PUT").statusCode());

    String getUrl = presign(token("presign:datasets read:datasets"), "seed", "GET").bodyAsJsonObject()
        .getString("url");
    assertEquals("seed data", service.clientVertx().createHttpClient()
        .request(HttpMethod.GET, service.port(), "127.0.0.1", pathOf(getUrl))
        .compose(r -> r.send().compose(res -> res.body())).await().toString());

    String putUrl = presign(token("presign:datasets write:datasets"), "via-url", "PUT").bodyAsJsonObject()
        .getString("url");
    assertEquals(201, service.request(HttpMethod.PUT, pathOf(putUrl)).sendBuffer(Buffer.buffer("uploaded"))
        .await().statusCode());
    assertEquals("uploaded", withKey(service.request(HttpMethod.GET, "/objects/datasets/via-url")).send().await()
        .bodyAsString());

    HttpResponse<Buffer> forged = service.request(HttpMethod.GET, pathOf(getUrl).replace("seed", "via-url"))
        .send().await();
    assertEquals(403, forged.statusCode());
    assertEquals(401, service.get("/objects/datasets/seed").statusCode());
  }

  @Test
  @DisplayName("/health stays open with auth on")
  void healthIsOpen() {
    assertEquals(200, service.get("/health/live").statusCode());
    assertTrue(List.of(200, 503).contains(service.get("/health").statusCode()));
  }

  @Test
  @DisplayName("Event-bus calls need a token or API key whose scope grants the action on the bucket")
  void eventBusCallers() {
    var vertx = service.app().vertx();
    String address = StorageService.DEFAULT_ADDRESS;

    StorageService anonymous = StorageService.createProxy(vertx, address, new DeliveryOptions());
    assertFailure(401, "Unauthorized: ", anonymous.stat(BUCKET, "seed"));

    StorageService forged = proxy(wrongSigner.generateToken(claims("admin:*"), valid()));
    assertFailure(401, "Unauthorized: ", forged.stat(BUCKET, "seed"));

    StorageService reader = proxy(token("read:datasets"));
    assertEquals(9L, reader.stat(BUCKET, "seed").await().getSize());
    assertEquals("seed data", reader.getObject(BUCKET, "seed").await().getData().toString());
    assertFailure(403, "AccessDenied: ", reader.putObject(BUCKET, "bus", "text/plain", Buffer.buffer("x")));
    assertFailure(403, "AccessDenied: ", reader.stat(OTHER, "seed"));
    assertFailure(403, "AccessDenied: ", reader.list(BUCKET, null, true, 10, null));
    assertFailure(403, "AccessDenied: ", reader.ensureBucket("new-bucket"));
    assertFailure(403, "AccessDenied: ", reader.presign(BUCKET, "seed", "GET", null, null));

    StorageService presigner = proxy(token("presign:datasets read:datasets"));
    assertNotNull(presigner.presign(BUCKET, "seed", "GET", null, null).await().getUrl());
    assertFailure(403, "AccessDenied: ", presigner.presign(BUCKET, "seed", "PUT", null, null));

    StorageService writer = StorageService.createProxy(vertx, address,
        new DeliveryOptions().addHeader(StorageService.API_KEY_HEADER, API_KEY));
    assertEquals(1L, writer.putObject(BUCKET, "bus", "text/plain", Buffer.buffer("x")).await().getSize());
    writer.delete(BUCKET, "bus").await();
  }

  // ---------------------------------------------------------------- helpers

  private HttpRequest<Buffer> request(Operation op) {
    String name = "obj-" + NAMES.incrementAndGet();
    return switch (op) {
      case READ -> service.request(HttpMethod.GET, "/objects/datasets/seed");
      case WRITE -> service.request(HttpMethod.PUT, "/objects/datasets/" + name);
      case DELETE -> service.request(HttpMethod.DELETE, "/objects/datasets/" + name);
      case LIST -> service.request(HttpMethod.GET, "/objects/datasets/list");
      case PRESIGN_GET, PRESIGN_PUT -> service.request(HttpMethod.POST, "/presigned-url/datasets/" + name);
      case CREATE_BUCKET -> service.request(HttpMethod.POST, "/buckets/datasets");
    };
  }

  private static HttpResponse<Buffer> send(Operation op, HttpRequest<Buffer> request) {
    return switch (op) {
      case WRITE -> request.sendBuffer(Buffer.buffer("written")).await();
      case PRESIGN_GET -> request.sendJsonObject(new JsonObject().put("method", "GET")).await();
      case PRESIGN_PUT -> request.sendJsonObject(new JsonObject().put("method", "PUT")).await();
      default -> request.send().await();
    };
  }

  /** Every other action on {@code bucket}: a token that can do much, but not this. */
  private static String othersOn(Operation op, String bucket) {
    List<String> wanted = List.of(op.actions.split(" "));
    List<String> others = new ArrayList<>();
    for (String action : List.of("read", "write", "delete", "list", "presign")) {
      if (!wanted.contains(action)) {
        others.add(action + ":" + bucket);
      }
    }
    if (wanted.contains("presign")) {
      // lacking only the method's permission must be enough to be refused
      others.add("presign:" + bucket);
    }
    return String.join(" ", others);
  }

  private HttpResponse<Buffer> presign(String token, String key, String method) {
    return bearer(service.request(HttpMethod.POST, "/presigned-url/datasets/" + key), token)
        .sendJsonObject(new JsonObject().put("method", method)).await();
  }

  private static String pathOf(String url) {
    return url.substring(url.indexOf('/', url.indexOf("//") + 2));
  }

  private StorageService proxy(String token) {
    return StorageService.createProxy(service.app().vertx(), StorageService.DEFAULT_ADDRESS,
        new DeliveryOptions().addHeader(StorageService.AUTH_TOKEN_HEADER, token));
  }

  private static void assertFailure(int code, String messageStart, Future<?> call) {
    Exception e = assertThrows(Exception.class, call::await);
    ReplyException reply = assertInstanceOf(ReplyException.class, e);
    assertEquals(code, reply.failureCode(), reply.getMessage());
    assertTrue(reply.getMessage().startsWith(messageStart), reply.getMessage());
  }

  @Test
  @DisplayName("Multipart routes need write on the upload's bucket, which the upload id carries")
  void multipartNeedsWriteOnTheBucket() {
    String id = withKey(service.request(HttpMethod.POST, "/uploads/" + BUCKET + "/multi")).send().await()
        .bodyAsJsonObject().getString("uploadId");
    String part = "/uploads/" + id + "/parts/1";
    String other = bearer(service.request(HttpMethod.PUT, part), token("admin:" + OTHER + " read:" + BUCKET))
        .sendBuffer(Buffer.buffer("x")).await().bodyAsJsonObject().getString("error");
    assertEquals("AccessDenied", other);
    assertEquals(401, service.request(HttpMethod.PUT, part).sendBuffer(Buffer.buffer("x")).await().statusCode());
    assertEquals(403, bearer(service.request(HttpMethod.GET, "/uploads?bucket=" + BUCKET), token("list:" + BUCKET))
        .send().await().statusCode());
    assertEquals(403, service.request(HttpMethod.DELETE, "/uploads/" + id).putHeader("X-Api-Key", API_KEY_ELSEWHERE)
        .send().await().statusCode());
    // an id whose bucket prefix is rewritten to one the caller may write is not the upload any more
    String forged = OTHER + id.substring(id.indexOf('_'));
    assertEquals(404, service.request(HttpMethod.GET, "/uploads/" + forged).putHeader("X-Api-Key", API_KEY_ELSEWHERE)
        .send().await().statusCode());
    assertEquals(200, bearer(service.request(HttpMethod.PUT, part), token("write:" + BUCKET))
        .sendBuffer(Buffer.buffer("x")).await().statusCode());
    assertEquals(200, withKey(service.request(HttpMethod.GET, "/uploads/" + id)).send().await().statusCode());
    assertEquals(201, bearer(service.request(HttpMethod.POST, "/uploads/" + id + "/complete"),
        token("write:" + BUCKET)).send().await().statusCode());
    assertEquals("x", withKey(service.request(HttpMethod.GET, "/objects/" + BUCKET + "/multi")).send().await()
        .bodyAsString());
  }

  private String token(String scope) {
    return signer.generateToken(claims(scope), valid());
  }

  private static JsonObject claims(String scope) {
    return new JsonObject().put("sub", "tester").put("scope", scope);
  }

  private static JWTOptions checked() {
    return new JWTOptions().setIssuer(ISSUER).setAudience(List.of(AUDIENCE));
  }

  private static JWTOptions valid() {
    return checked().setExpiresInMinutes(5);
  }

  private JWTAuth hs256(String secret) {
    return JWTAuth.create(service.clientVertx(), new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
  }

  private static HttpRequest<Buffer> bearer(HttpRequest<Buffer> request, String token) {
    return request.putHeader("Authorization", "Bearer " + token);
  }

  private static HttpRequest<Buffer> withKey(HttpRequest<Buffer> request) {
    return request.putHeader("X-Api-Key", API_KEY);
  }
}
