package com.dante.cacciaguida.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The access log: one JSON line per request on stdout, in the shape of the Logback JSON encoder's lines (logger
 * {@code access}, the fields as key-value pairs), buffered the way nginx's {@code access_log ... flush=} is. The
 * line is formatted on the event loop and queued without a lock; one background thread writes what has queued
 * every {@value #FLUSH_MILLIS} ms, in one write. As a Logback event per request (a locked queue, a wake-up of
 * its writer, a flush per line) the access log cost a small GET a quarter of its CPU.
 *
 * <p>On while the {@code access} logger is enabled at INFO ({@code log_level} info or finer). At most
 * {@value #MAX_QUEUED} lines wait; lines beyond are dropped and their number logged, so a stalled stdout never
 * holds the heap. Lines still queued at exit are written by a shutdown hook.
 */
final class AccessLog {

  private static final Logger ACCESS = LoggerFactory.getLogger("access");
  private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);
  private static final long FLUSH_MILLIS = 100;
  private static final int MAX_QUEUED = 100_000;
  private static final int WRITE_CHUNK = 64 * 1024;
  private static final JsonStringEncoder JSON = JsonStringEncoder.getInstance();

  private static final ConcurrentLinkedQueue<String> QUEUE = new ConcurrentLinkedQueue<>();
  private static final AtomicInteger QUEUED = new AtomicInteger();
  private static final AtomicLong DROPPED = new AtomicLong();
  /** The calling thread's name, JSON-quoted once: event-loop threads keep their names. */
  private static final ThreadLocal<String> THREAD_NAME = ThreadLocal.withInitial(() -> {
    StringBuilder quoted = new StringBuilder();
    quoted(quoted, Thread.currentThread().getName());
    return quoted.toString();
  });

  static {
    Thread writer = new Thread(AccessLog::writeForever, "access-log-writer");
    writer.setDaemon(true);
    writer.start();
    Runtime.getRuntime().addShutdownHook(new Thread(AccessLog::writeQueued, "access-log-flush"));
  }

  private AccessLog() {
  }

  static boolean enabled() {
    return ACCESS.isInfoEnabled();
  }

  /** Queues the line of one finished request. */
  static void request(String requestId, String method, String path, int status, long bytesIn, long bytesOut,
                      long durationMs, boolean completed) {
    if (QUEUED.incrementAndGet() > MAX_QUEUED) {
      QUEUED.decrementAndGet();
      DROPPED.incrementAndGet();
      return;
    }
    StringBuilder line = new StringBuilder(320)
        .append("{\"timestamp\":").append(System.currentTimeMillis())
        .append(",\"level\":\"INFO\",\"threadName\":").append(THREAD_NAME.get())
        .append(",\"loggerName\":\"access\",\"mdc\": {},\"kvpList\": [{\"requestId\":");
    quoted(line, requestId);
    line.append("},{\"method\":\"").append(method).append("\"},{\"path\":");
    quoted(line, path);
    line.append("},{\"status\":\"").append(status)
        .append("\"},{\"bytesIn\":\"").append(bytesIn)
        .append("\"},{\"bytesOut\":\"").append(bytesOut)
        .append("\"},{\"durationMs\":\"").append(durationMs)
        .append("\"},{\"completed\":\"").append(completed)
        .append("\"}],\"formattedMessage\":\"request\",\"throwable\":null}\n");
    QUEUE.add(line.toString());
  }

  private static void quoted(StringBuilder line, String value) {
    line.append('"');
    JSON.quoteAsString(value, line);
    line.append('"');
  }

  private static void writeForever() {
    while (true) {
      try {
        TimeUnit.MILLISECONDS.sleep(FLUSH_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      writeQueued();
    }
  }

  /** Writes every queued line, in chunks of about {@value #WRITE_CHUNK} characters. */
  private static synchronized void writeQueued() {
    long dropped = DROPPED.getAndSet(0);
    if (dropped > 0) {
      LOG.warn("{} access-log lines dropped: stdout did not keep up", dropped);
    }
    if (QUEUE.isEmpty()) {
      return; // an idle service: no 64 KiB buffer every 100 ms
    }
    PrintStream out = System.out;
    StringBuilder chunk = new StringBuilder(WRITE_CHUNK + 512);
    String line;
    while ((line = QUEUE.poll()) != null) {
      QUEUED.decrementAndGet();
      chunk.append(line);
      if (chunk.length() >= WRITE_CHUNK) {
        write(out, chunk);
      }
    }
    write(out, chunk);
  }

  private static void write(PrintStream out, StringBuilder chunk) {
    if (chunk.isEmpty()) {
      return;
    }
    byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
    out.write(bytes, 0, bytes.length);
    out.flush();
    chunk.setLength(0);
  }
}
