package com.dante.cacciaguida.storage.fs;

import com.dante.cacciaguida.storage.ByteRange;
import com.dante.cacciaguida.storage.ObjectInfo;
import com.dante.cacciaguida.storage.ObjectRead;
import com.dante.cacciaguida.storage.ReadDecision;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * An object file opened once: its header was read from this channel and its content is sent from it, so a
 * concurrent overwrite (a rename over the path) cannot mix two versions. The content goes out zero-copy with
 * {@link HttpServerResponse#sendFile(FileChannel, long, long)}, which leaves the channel open: it is closed when
 * the send completes.
 */
final class FsObjectRead implements ObjectRead {

  private static final Logger LOG = LoggerFactory.getLogger(FsObjectRead.class);

  private final Vertx vertx;
  private final ObjectInfo info;
  private final ReadDecision decision;
  private FileChannel channel;

  FsObjectRead(Vertx vertx, ObjectInfo info, ReadDecision decision, FileChannel channel) {
    this.vertx = vertx;
    this.info = info;
    this.decision = decision;
    this.channel = channel;
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
    if (channel == null || decision.status() == 304 || decision.slice().length() == 0) {
      return close().compose(v -> response.end());
    }
    ByteRange.Slice slice = decision.slice();
    return response.sendFile(channel, ObjectHeader.SIZE + slice.offset(), slice.length())
        .eventually(this::close);
  }

  @Override
  public Future<Buffer> readAll() {
    FileChannel open = channel;
    channel = null;
    if (open == null) {
      return Future.succeededFuture(Buffer.buffer());
    }
    ByteRange.Slice slice = decision.slice();
    return vertx.executeBlocking(() -> {
      try {
        ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(slice.length()));
        long position = ObjectHeader.SIZE + slice.offset();
        while (bytes.hasRemaining() && open.read(bytes, position + bytes.position()) >= 0) {
          // FileChannel.read may return fewer bytes than asked: keep going until the slice is in
        }
        return Buffer.buffer(bytes.array());
      } finally {
        closeQuietly(open);
      }
    }, false);
  }

  @Override
  public Future<Void> close() {
    FileChannel open = channel;
    channel = null;
    if (open == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
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
