package com.dante.cacciaguida.storage.fs;

import com.dante.cacciaguida.storage.ByteRange;
import com.dante.cacciaguida.storage.ObjectInfo;
import com.dante.cacciaguida.storage.ObjectRead;
import com.dante.cacciaguida.storage.ReadDecision;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * An object file opened once: its header was read from this channel and its content is sent from it, so a
 * concurrent overwrite (a rename over the path) cannot mix two versions. The content goes out zero-copy with
 * {@link HttpServerResponse#sendFile(FileChannel, long, long)}, which leaves the channel open: it is closed when
 * the send completes. A small slice is read with the header instead ({@link #inline}): one buffer written from
 * the event loop costs less than a file send and a second trip to a worker thread to close the file.
 */
final class FsObjectRead implements ObjectRead {

  private static final Logger LOG = LoggerFactory.getLogger(FsObjectRead.class);

  private final WorkerExecutor workers;
  private final ObjectInfo info;
  private final ReadDecision decision;
  private FileChannel channel;
  private final Buffer content;

  /** Content sent from {@code channel}, or nothing to send when it is null. */
  FsObjectRead(WorkerExecutor workers, ObjectInfo info, ReadDecision decision, FileChannel channel) {
    this(workers, info, decision, channel, null);
  }

  private FsObjectRead(WorkerExecutor workers, ObjectInfo info, ReadDecision decision, FileChannel channel,
                       Buffer content) {
    this.workers = workers;
    this.info = info;
    this.decision = decision;
    this.channel = channel;
    this.content = content;
  }

  /** The decided slice, already read into memory; holds no file. */
  static FsObjectRead inline(WorkerExecutor workers, ObjectInfo info, ReadDecision decision, Buffer content) {
    return new FsObjectRead(workers, info, decision, null, content);
  }

  @Override
  public ObjectInfo info() {
    return info;
  }

  @Override
  public int status() {
    return decision.status();
  }

  @Override
  public ByteRange.Slice slice() {
    return decision.slice();
  }

  @Override
  public Future<Void> sendTo(HttpServerResponse response) {
    if (content != null) {
      return response.end(content);
    }
    if (channel == null || decision.status() == 304 || decision.slice().length() == 0) {
      return close().compose(v -> response.end());
    }
    ByteRange.Slice slice = decision.slice();
    return response.sendFile(channel, ObjectHeader.SIZE + slice.offset(), slice.length())
        .eventually(this::close);
  }

  @Override
  public Future<Buffer> readAll() {
    if (content != null) {
      return Future.succeededFuture(content);
    }
    FileChannel open = channel;
    channel = null;
    if (open == null) {
      return Future.succeededFuture(Buffer.buffer());
    }
    return workers.executeBlocking(() -> {
      try {
        return read(open, decision.slice());
      } finally {
        closeQuietly(open);
      }
    }, false);
  }

  /**
   * {@code length} bytes of an open object file from {@code position} (blocking); fails if the file ends first.
   * FileChannel.read may return fewer bytes than asked: it is called until they are all in.
   */
  static byte[] readAt(FileChannel channel, long position, int length) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(length);
    while (bytes.hasRemaining()) {
      if (channel.read(bytes, position + bytes.position()) < 0) {
        throw new EOFException("Object file shorter than its header says");
      }
    }
    return bytes.array();
  }

  /** A slice of the content of an object file read whole with its header ({@link #readAt} from 0), no copy. */
  static Buffer content(byte[] file, ByteRange.Slice slice) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(file, ObjectHeader.SIZE + Math.toIntExact(slice.offset()),
        Math.toIntExact(slice.length())));
  }

  /** Reads a slice of the content of an open object file (blocking). */
  static Buffer read(FileChannel channel, ByteRange.Slice slice) throws IOException {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(
        readAt(channel, ObjectHeader.SIZE + slice.offset(), Math.toIntExact(slice.length()))));
  }

  @Override
  public Future<Void> close() {
    FileChannel open = channel;
    channel = null;
    if (open == null) {
      return Future.succeededFuture();
    }
    return workers.executeBlocking(() -> {
      closeQuietly(open);
      return null;
    }, false);
  }

  static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.warn("Closing an object file failed", e);
    }
  }
}
