package com.dante.cacciaguida;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * The build's class-data-sharing training run ({@code -Dcacciaguida.trainingRun=true}, see pom.xml): once started,
 * the service sends itself the common requests (health, bucket, PUT, GET, HEAD, list, DELETE) so that the classes
 * of those paths land in the archive the JVM writes at exit, then stops. Starting with that archive
 * ({@code -XX:SharedArchiveFile=target/storage-service.jsa}) skips most class loading.
 */
final class TrainingRun {

  static final String PROPERTY = "cacciaguida.trainingRun";

  private TrainingRun() {
  }

  static boolean requested() {
    return Boolean.getBoolean(PROPERTY);
  }

  static Future<Void> exercise(StorageApplication app) {
    HttpClient client = app.vertx().createHttpClient();
    int port = app.httpPort();
    String object = "/objects/training/warm-up.txt";
    return call(client, port, HttpMethod.GET, "/health", null)
        .compose(v -> call(client, port, HttpMethod.POST, "/buckets/training", null))
        .compose(v -> call(client, port, HttpMethod.PUT, object, Buffer.buffer("warm-up")))
        .compose(v -> call(client, port, HttpMethod.GET, object, null))
        .compose(v -> call(client, port, HttpMethod.HEAD, object, null))
        .compose(v -> call(client, port, HttpMethod.GET, "/objects/training/list", null))
        .compose(v -> call(client, port, HttpMethod.DELETE, object, null))
        .eventually(client::close);
  }

  private static Future<Void> call(HttpClient client, int port, HttpMethod method, String path, Buffer body) {
    return client.request(new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path))
        .compose(request -> body == null ? request.send() : request.send(body))
        .compose(HttpClientResponse::body)
        .mapEmpty();
  }
}
