package com.dante.cacciaguida.bench;

import com.dante.cacciaguida.storage.s3.ReadStreamPublisher;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The upload path of the S3 backend, per MiB (ops/s = MiB/s): an in-memory body of 16 × 64 KiB read on a Vert.x
 * context through the ReadStream → Reactive Streams bridge by a subscriber that requests one item at a time, as
 * the AWS SDK does. {@code readStreamOnly} reads the same body without the bridge, so the difference is the
 * bridge's own cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PublisherBridgeBenchmark {

  private Vertx vertx;
  private Context context;
  private Buffer[] chunks;

  @Setup(Level.Trial)
  public void start() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    chunks = ChunkedReadStream.chunks(DigestBenchmark.MIB, DigestBenchmark.CHUNK, 42);
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Benchmark
  public long bridge() throws Exception {
    CompletableFuture<Long> done = new CompletableFuture<>();
    context.runOnContext(v -> new ReadStreamPublisher(context, new ChunkedReadStream(chunks).pause(), DigestBenchmark.MIB)
        .subscribe(new CountingSubscriber(done)));
    return done.get(10, TimeUnit.SECONDS);
  }

  @Benchmark
  public long readStreamOnly() throws Exception {
    CompletableFuture<Long> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      long[] count = {0};
      ChunkedReadStream body = new ChunkedReadStream(chunks);
      body.endHandler(end -> done.complete(count[0]));
      body.handler(chunk -> count[0] += chunk.length());
    });
    return done.get(10, TimeUnit.SECONDS);
  }

  private static final class CountingSubscriber implements Subscriber<Object> {

    private final CompletableFuture<Long> done;
    private Subscription subscription;
    private long count;

    CountingSubscriber(CompletableFuture<Long> done) {
      this.done = done;
    }

    @Override
    public void onSubscribe(Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(Object item) {
      count += item instanceof ByteBuffer bytes ? bytes.remaining() : ((Buffer) item).length();
      subscription.request(1);
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      if (count != DigestBenchmark.MIB) {
        done.completeExceptionally(new IllegalStateException("The bridge delivered " + count + " bytes of 1 MiB"));
      } else {
        done.complete(count);
      }
    }
  }
}
