package com.dante.cacciaguida.bench;

import com.dante.cacciaguida.storage.ObjectNames;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The per-request name work of every object route: decode the raw path segment once, validate the key, and
 * encode it back for a URL (listings, presigned URLs, the S3 backend's request path).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class KeyBenchmark {

  /** A typical dataset key, a key with escapes and non-ASCII, and a 1000-byte key (near the limit). */
  @Param({"typical", "escaped", "long"})
  public String shape;

  private String raw;
  private String key;

  @Setup
  public void prepare() {
    switch (shape) {
      case "typical" -> raw = "datasets/imagenet/train/n01440764/n01440764_10026.JPEG";
      case "escaped" -> raw = "models/llama%20v2/ckpt%2Fstep-1000/%C3%A9t%C3%A9+r%C3%A9sum%C3%A9.safetensors";
      case "long" -> raw = "a/".repeat(250) + "b".repeat(500);
      default -> throw new IllegalArgumentException(shape);
    }
    key = ObjectNames.percentDecode(raw);
  }

  @Benchmark
  public String percentDecode() {
    return ObjectNames.percentDecode(raw);
  }

  @Benchmark
  public String validateKey() {
    return ObjectNames.validateKey(key);
  }

  @Benchmark
  public String encodePath() {
    return ObjectNames.encodePath(key);
  }

  /** What a PUT or GET route does to its path before reaching the backend. */
  @Benchmark
  public String decodeAndValidate() {
    return ObjectNames.validateKey(ObjectNames.percentDecode(raw));
  }
}
