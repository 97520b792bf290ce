package com.dante.cacciaguida.bench;

import com.dante.cacciaguida.storage.ObjectInfo;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
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

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A listing page of 1000 {@link ObjectInfo} entries (maxKeys' ceiling) serialised to one response Buffer, per
 * page: as a {@link JsonArray} encoded at once, and entry by entry into one Buffer as a streamed listing writes it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ListingJsonBenchmark {

  static final int ENTRIES = 1000;

  private List<ObjectInfo> page;

  @Setup
  public void prepare() {
    Random random = new Random(7);
    HexFormat hex = HexFormat.of();
    Instant now = Instant.parse("2026-11-28T12:00:00Z");
    page = new ArrayList<>(ENTRIES);
    for (int i = 0; i < ENTRIES; i++) {
      byte[] md5 = new byte[16];
      byte[] sha = new byte[32];
      random.nextBytes(md5);
      random.nextBytes(sha);
      page.add(new ObjectInfo(String.format("datasets/run-%03d/shard-%05d.tar", i / 100, i),
          random.nextInt(1 << 30), now.minusSeconds(random.nextInt(86_400)), "application/x-tar",
          "\"" + hex.formatHex(md5) + "\"", hex.formatHex(sha)));
    }
  }

  @Benchmark
  public Buffer jsonArray() {
    JsonArray array = new JsonArray(new ArrayList<>(ENTRIES));
    for (ObjectInfo info : page) {
      array.add(info.toJson());
    }
    return array.toBuffer();
  }

  @Benchmark
  public Buffer entryByEntry() {
    Buffer out = Buffer.buffer(ENTRIES * 256);
    out.appendByte((byte) '[');
    for (int i = 0; i < page.size(); i++) {
      if (i > 0) {
        out.appendByte((byte) ',');
      }
      out.appendBuffer(page.get(i).toJson().toBuffer());
    }
    return out.appendByte((byte) ']');
  }
}
