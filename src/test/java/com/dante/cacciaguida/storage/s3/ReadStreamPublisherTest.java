package com.dante.cacciaguida.storage.s3;

import com.dante.cacciaguida.storage.StorageError;
import com.dante.cacciaguida.storage.StorageException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class ReadStreamPublisherTest {

  @Test
  @DisplayName("reads only what was requested, and holds the last chunk back until the body has ended")
  void demandDriven(Vertx vertx, VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      ReadStreamPublisher publisher = new ReadStreamPublisher(context, new ChunksBody(chunks("ab", "cd", "ef")), 6);
      Recorder recorder = new Recorder();
      publisher.subscribe(recorder);
      vertx.setTimer(100, t1 -> {
        ctx.verify(() -> assertEquals(List.of(), recorder.items));
        recorder.subscription.request(1);
        vertx.setTimer(100, t2 -> {
          ctx.verify(() -> assertEquals(List.of("ab"), recorder.items));
          recorder.subscription.request(5);
          vertx.setTimer(100, t3 -> ctx.verify(() -> {
            assertEquals(List.of("ab", "cd", "ef"), recorder.items);
            assertTrue(recorder.completed);
            ctx.completeNow();
          }));
        });
      });
    });
  }

  @Test
  @DisplayName("a body longer than its declared length fails before its surplus reaches S3")
  void tooLong(Vertx vertx, VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      ReadStreamPublisher publisher = new ReadStreamPublisher(context, new ChunksBody(chunks("ab", "cd", "ef")), 4);
      Recorder recorder = new Recorder();
      publisher.subscribe(recorder);
      vertx.setTimer(50, t -> recorder.subscription.request(10));
      vertx.setTimer(200, t -> ctx.verify(() -> {
        assertEquals(List.of("ab"), recorder.items);
        assertEquals(StorageError.IncompleteBody, ((StorageException) recorder.error).error());
        ctx.completeNow();
      }));
    });
  }

  @Test
  @DisplayName("a second subscriber gets onError: a request body cannot be replayed")
  void oneSubscriber(Vertx vertx, VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      ReadStreamPublisher publisher = new ReadStreamPublisher(context, new ChunksBody(chunks("ab")), 2);
      Recorder first = new Recorder();
      Recorder second = new Recorder();
      publisher.subscribe(first);
      publisher.subscribe(second);
      vertx.setTimer(100, t -> ctx.verify(() -> {
        assertEquals(null, first.error);
        assertInstanceOf(IllegalStateException.class, second.error);
        ctx.completeNow();
      }));
    });
  }

  private static List<Buffer> chunks(String... parts) {
    return Arrays.stream(parts).map(Buffer::buffer).toList();
  }

  private static final class Recorder implements Subscriber<ByteBuffer> {
    final List<String> items = new CopyOnWriteArrayList<>();
    volatile Subscription subscription;
    volatile Throwable error;
    volatile boolean completed;

    @Override
    public void onSubscribe(Subscription s) {
      subscription = s;
    }

    @Override
    public void onNext(ByteBuffer b) {
      items.add(StandardCharsets.UTF_8.decode(b).toString());
    }

    @Override
    public void onError(Throwable t) {
      error = t;
    }

    @Override
    public void onComplete() {
      completed = true;
    }
  }
}
