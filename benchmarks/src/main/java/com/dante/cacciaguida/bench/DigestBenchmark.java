package com.dante.cacciaguida.bench;

import com.dante.cacciaguida.storage.PutOptions;
import com.dante.cacciaguida.storage.VerifyingStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.TimeUnit;

/**
 * The streaming digest of every upload, per MiB (one operation = 1 MiB in 64 KiB chunks, so ops/s = MiB/s):
 * {@link VerifyingStream} (counting, MD5 and SHA-256 together) against bare {@link MessageDigest}s over the same
 * bytes. The gap between {@code verifyingStream} and {@code md5PlusSha256} is the cost of the stream plumbing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DigestBenchmark {

  static final int MIB = 1 << 20;
  static final int CHUNK = 64 << 10;

  private Buffer[] chunks;
  private PutOptions options;

  @Setup
  public void prepare() {
    chunks = ChunkedReadStream.chunks(MIB, CHUNK, 42);
    options = new PutOptions("application/octet-stream", MIB, Long.MAX_VALUE, null, null);
  }

  @Benchmark
  public String verifyingStream(Blackhole hole) {
    VerifyingStream body = new VerifyingStream(new ChunkedReadStream(chunks), options);
    body.exceptionHandler(e -> {
      throw new IllegalStateException(e);
    });
    body.endHandler(v -> hole.consume(body.count()));
    body.handler(hole::consume);
    return body.sha256Hex();
  }

  @Benchmark
  public byte[] md5() {
    return digest("MD5");
  }

  @Benchmark
  public byte[] sha256() {
    return digest("SHA-256");
  }

  @Benchmark
  public void md5PlusSha256(Blackhole hole) {
    MessageDigest md5 = newDigest("MD5");
    MessageDigest sha256 = newDigest("SHA-256");
    for (Buffer chunk : chunks) {
      md5.update(((BufferInternal) chunk).getByteBuf().nioBuffer());
      sha256.update(((BufferInternal) chunk).getByteBuf().nioBuffer());
    }
    hole.consume(md5.digest());
    hole.consume(sha256.digest());
  }

  private byte[] digest(String algorithm) {
    MessageDigest digest = newDigest(algorithm);
    for (Buffer chunk : chunks) {
      digest.update(((BufferInternal) chunk).getByteBuf().nioBuffer());
    }
    return digest.digest();
  }

  private static MessageDigest newDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
