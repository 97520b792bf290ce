package com.dante.cacciaguida.storage;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.ReadStream;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Wraps an upload body: counts its bytes and computes MD5 (the ETag) and SHA-256 as the bytes pass, and turns
 * the end of the stream into a failure when the body broke a rule: more than {@code maxSize}
 * ({@code 413 EntityTooLarge}, as soon as it is exceeded), fewer or more bytes than declared
 * ({@code 400 IncompleteBody}; more as soon as they arrive), or a digest other than the one the client sent
 * ({@code 400 BadDigest}). A backend commits the object only after this stream ended normally.
 *
 * <p>The first {@link #INLINE_DIGEST} bytes are digested on the event loop as they pass; the rest of a larger body
 * in {@link DigestLanes}, one core per digest, and the end waits for them.
 */
public final class VerifyingStream implements ReadStream<Buffer> {

  /** Bytes digested inline: a small body is done before a hop to another thread would be. */
  static final long INLINE_DIGEST = 1024 * 1024;

  private final ReadStream<Buffer> source;
  private final PutOptions options;
  private final MessageDigest md5;
  private final MessageDigest sha256;
  private long count;
  private boolean failed;
  private DigestLanes lanes;
  /** Paused by the consumer (a pipe whose destination is full) or by the digest lanes falling behind. */
  private boolean consumerPaused;
  private boolean digestBehind;
  /** What the consumer fetched while the lanes held the source paused. */
  private long owedFetch;
  private Handler<Throwable> exceptionHandler;
  private Handler<Void> endHandler;
  private String md5Hex;
  private String sha256Hex;

  /** Computes both digests: MD5 for the ETag, SHA-256 to store. */
  public VerifyingStream(ReadStream<Buffer> source, PutOptions options) {
    this(source, options, true, true);
  }

  private VerifyingStream(ReadStream<Buffer> source, PutOptions options, boolean computeMd5, boolean computeSha256) {
    this.source = source;
    this.options = options;
    this.md5 = computeMd5 ? digest("MD5") : null;
    this.sha256 = computeSha256 ? digest("SHA-256") : null;
  }

  /**
   * Computes only the digests the client declared, to verify them: for a store that computes the ETag itself
   * (S3). Digesting costs more CPU than anything else on the upload path; {@link #md5Hex()} and
   * {@link #sha256Hex()} stay null for what was not declared.
   */
  public static VerifyingStream declaredOnly(ReadStream<Buffer> source, PutOptions options) {
    return new VerifyingStream(source, options, options.contentMd5() != null, options.sha256() != null);
  }

  /**
   * MD5 always, SHA-256 only when declared: for a store that computes the ETag itself but must be able to send
   * the content's MD5 along (S3, when a chunked body turns out small enough for one PutObject).
   */
  public static VerifyingStream md5AndDeclared(ReadStream<Buffer> source, PutOptions options) {
    return new VerifyingStream(source, options, true, options.sha256() != null);
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Bytes seen so far. */
  public long count() {
    return count;
  }

  /** Hex MD5 of the whole body; valid once the stream ended (null if not computed). */
  public String md5Hex() {
    return md5Hex;
  }

  /** Hex SHA-256 of the whole body; valid once the stream ended (null if not computed). */
  public String sha256Hex() {
    return sha256Hex;
  }

  /** The quoted ETag S3 gives a single-part object: the MD5 of its content. */
  public String etag() {
    return "\"" + md5Hex + "\"";
  }

  @Override
  public VerifyingStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    source.exceptionHandler(handler == null ? null : this::fail);
    return this;
  }

  @Override
  public VerifyingStream handler(Handler<Buffer> handler) {
    if (handler == null) {
      source.handler(null);
      return this;
    }
    source.handler(chunk -> {
      if (failed) {
        return;
      }
      count += chunk.length();
      if (count > options.maxSize()) {
        fail(StorageError.EntityTooLarge.exception(
            "Your proposed upload exceeds the maximum allowed size of " + options.maxSize() + " bytes"));
        return;
      }
      if (options.lengthKnown() && count > options.contentLength()) {
        // before the excess reaches a store that would take the declared length and drop the rest
        fail(StorageError.IncompleteBody.exception("The body has more bytes than Content-Length said ("
            + options.contentLength() + ")"));
        return;
      }
      digest(((BufferInternal) chunk).getByteBuf());
      handler.handle(chunk);
    });
    return this;
  }

  @Override
  public VerifyingStream endHandler(Handler<Void> handler) {
    this.endHandler = handler;
    source.endHandler(handler == null ? null : v -> end());
    return this;
  }

  private void digest(ByteBuf chunk) {
    if (lanes == null && count > INLINE_DIGEST && (md5 != null || sha256 != null)) {
      Context context = Vertx.currentContext();
      if (context != null) {
        lanes = new DigestLanes(context, this::digestCaughtUp,
            Stream.of(md5, sha256).filter(Objects::nonNull).toArray(MessageDigest[]::new));
      }
    }
    if (lanes != null) {
      if (lanes.update(chunk.nioBuffer())) {
        digestBehind = true;
        source.pause();
      }
      return;
    }
    if (md5 != null) {
      md5.update(chunk.nioBuffer());
    }
    if (sha256 != null) {
      sha256.update(chunk.nioBuffer());
    }
  }

  private void digestCaughtUp() {
    digestBehind = false;
    if (failed) {
      return;
    }
    if (!consumerPaused) {
      source.resume();
    } else if (owedFetch > 0) {
      long amount = owedFetch;
      owedFetch = 0;
      source.fetch(amount);
    }
  }

  @Override
  public VerifyingStream pause() {
    consumerPaused = true;
    source.pause();
    return this;
  }

  @Override
  public VerifyingStream resume() {
    consumerPaused = false;
    if (!digestBehind) {
      source.resume();
    }
    return this;
  }

  @Override
  public VerifyingStream fetch(long amount) {
    if (digestBehind) {
      owedFetch = owedFetch + amount < 0 ? Long.MAX_VALUE : owedFetch + amount; // fetch(Long.MAX_VALUE) = resume
    } else {
      source.fetch(amount);
    }
    return this;
  }

  private void end() {
    if (failed) {
      return;
    }
    if (lanes != null) {
      lanes.drained().onComplete(v -> verify());
    } else {
      verify();
    }
  }

  private void verify() {
    if (failed) {
      return;
    }
    HexFormat hex = HexFormat.of();
    byte[] md5Bytes = md5 == null ? null : md5.digest();
    md5Hex = md5Bytes == null ? null : hex.formatHex(md5Bytes);
    sha256Hex = sha256 == null ? null : hex.formatHex(sha256.digest());
    if (options.lengthKnown() && count != options.contentLength()) {
      fail(StorageError.IncompleteBody.exception("The body had " + count + " bytes, Content-Length said "
          + options.contentLength()));
    } else if (options.contentMd5() != null
        && !options.contentMd5().equals(Base64.getEncoder().encodeToString(md5Bytes))) {
      fail(StorageError.BadDigest.exception("The Content-MD5 you specified did not match what we received"));
    } else if (options.sha256() != null && !options.sha256().equalsIgnoreCase(sha256Hex)) {
      fail(StorageError.BadDigest.exception("The X-Checksum-Sha256 you specified did not match what we received"));
    } else if (endHandler != null) {
      endHandler.handle(null);
    }
  }

  private void fail(Throwable cause) {
    if (failed) {
      return;
    }
    failed = true;
    source.pause();
    if (exceptionHandler != null) {
      exceptionHandler.handle(cause);
    }
  }
}
