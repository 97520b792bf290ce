package com.dante.cacciaguida.storage.fs;

import com.dante.cacciaguida.presign.PresignSigner;
import com.dante.cacciaguida.storage.GetOptions;
import com.dante.cacciaguida.storage.ListQuery;
import com.dante.cacciaguida.storage.ObjectInfo;
import com.dante.cacciaguida.storage.ObjectRead;
import com.dante.cacciaguida.storage.ObjectStorage;
import com.dante.cacciaguida.storage.PresignRequest;
import com.dante.cacciaguida.storage.PresignedUrl;
import com.dante.cacciaguida.storage.PutOptions;
import com.dante.cacciaguida.storage.ReadDecision;
import com.dante.cacciaguida.storage.StorageError;
import com.dante.cacciaguida.storage.StorageException;
import com.dante.cacciaguida.storage.VerifyingStream;
import com.dante.cacciaguida.storage.versioning.VersioningBackend;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.FileSystemException;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.Pipe;
import io.vertx.core.streams.ReadStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * The filesystem backend: buckets are directories under the root, objects are files of a header
 * ({@link ObjectHeader}) and the content, laid out by {@link KeyPaths}. A put streams the body into a temp file in
 * {@code <root>/.tmp} (same filesystem) and renames it into place atomically once the body ended intact, so readers
 * see the old object or the whole new one. All file work runs on worker threads or through {@link AsyncFile}.
 */
public final class FsObjectStorage implements ObjectStorage, VersioningBackend {

  private static final Logger LOG = LoggerFactory.getLogger(FsObjectStorage.class);

  static final String TMP_DIR = ".tmp";
  /** Bodies up to this size are written in one worker task (see {@link #putSmall}). */
  static final long SMALL_BODY = 64 * 1024;
  /** Slices up to this size are read with the header and sent from memory (see {@link FsObjectRead#inline}). */
  static final long INLINE_READ_LIMIT = 64 * 1024;
  /** Temp files younger than this may belong to a live instance sharing the root. */
  private static final Duration STALE_TEMP_AGE = Duration.ofMinutes(15);

  /**
   * Object file writes run on a pool of two threads per core rather than Vert.x's twenty workers: sixteen
   * concurrent creates and renames into one directory spend more CPU spinning on the kernel's directory locks and
   * switching threads than writing (measured: small PUTs 30-50 % faster with 2-4 threads on 2 cores).
   */
  private static final int FILE_THREADS = 2 * Runtime.getRuntime().availableProcessors();
  /**
   * Reads (GET, HEAD, listings) have a pool of their own, one thread per core: they never wait behind a write's
   * fsync, and with fewer threads to wake a small GET costs less (GET 4 KiB 31-33k → 33-36k req/s in paired runs
   * against one pool of four threads).
   */
  private static final int READ_THREADS = Runtime.getRuntime().availableProcessors();

  private final Vertx vertx;
  private final WorkerExecutor fileWorkers;
  private final WorkerExecutor readWorkers;
  private final Path root;
  private final Path tmpDir;
  private final ObjectFiles files;
  private final PresignSigner signer;

  public FsObjectStorage(Vertx vertx, Path root, boolean fsync, byte[] presignSecret) {
    this.vertx = vertx;
    this.fileWorkers = vertx.createSharedWorkerExecutor("storage-filesystem", FILE_THREADS);
    this.readWorkers = vertx.createSharedWorkerExecutor("storage-filesystem-read", READ_THREADS);
    this.root = root.toAbsolutePath().normalize();
    this.tmpDir = this.root.resolve(TMP_DIR);
    this.files = new ObjectFiles(tmpDir, fsync);
    this.signer = new PresignSigner(presignSecret);
  }

  @Override
  public Future<Void> start() {
    return blocking(() -> {
      Files.createDirectories(tmpDir);
      int removed = removeStaleTempFiles(Instant.now().minus(STALE_TEMP_AGE));
      LOG.info("Filesystem storage at {} ({} stale temp files removed)", root, removed);
      return null;
    });
  }

  @Override
  public Future<Void> close() {
    return Future.join(fileWorkers.close(), readWorkers.close()).mapEmpty();
  }

  @Override
  public Future<Void> ensureBucket(String bucket) {
    return withBucketDir(bucket, dir -> blocking(() -> {
      try {
        Files.createDirectory(dir);
      } catch (FileAlreadyExistsException exists) {
        if (!Files.isDirectory(dir)) {
          throw StorageError.Conflict.exception("The bucket's path is taken by a file");
        }
      }
      return null;
    }));
  }

  @Override
  public Future<ObjectInfo> put(String bucket, String key, ReadStream<Buffer> body, PutOptions options) {
    Path bucketDir;
    try {
      bucketDir = bucketDir(bucket);
      KeyPaths.objectPath(bucketDir, key);
      ObjectHeader.checkFits(key, options.contentType());
    } catch (StorageException e) {
      return Future.failedFuture(e);
    }
    VerifyingStream verified = new VerifyingStream(body, options);
    Path temp = tmpDir.resolve(UUID.randomUUID() + ".put");
    if (options.lengthKnown() && options.contentLength() <= SMALL_BODY) {
      return putSmall(bucketDir, key, verified, options, temp);
    }
    // created now so that a client failing while the bucket is checked is not missed
    Pipe<Buffer> pipe = verified.pipe().endOnFailure(false);
    return requireBucket(bucketDir)
        .compose(v -> vertx.fileSystem().open(temp.toString(), new OpenOptions().setWrite(true).setCreateNew(true)))
        .compose(file -> writeContent(pipe, file))
        .compose(v -> {
          ObjectHeader header = new ObjectHeader(key, verified.count(), options.contentType(), verified.etag(),
              verified.sha256Hex(), System.currentTimeMillis());
          return blocking(() -> {
            files.commit(temp, bucketDir, key, header);
            return header.toInfo();
          });
        })
        .recover(failure -> discard(temp).transform(ignored -> Future.failedFuture(putFailure(failure))));
  }

  @Override
  public Future<ObjectRead> get(String bucket, String key, GetOptions options) {
    return withBucketDir(bucket, bucketDir -> reading(() -> {
      Path path = KeyPaths.objectPath(bucketDir, key);
      FileChannel channel = openObject(path, bucketDir);
      try {
        long fileSize = channel.size();
        // a small object file is read whole, header and content in one read
        boolean whole = fileSize <= ObjectHeader.SIZE + INLINE_READ_LIMIT;
        byte[] start = FsObjectRead.readAt(channel, 0, whole ? (int) Math.max(fileSize, ObjectHeader.SIZE)
            : ObjectHeader.SIZE);
        ObjectInfo info = info(ObjectHeader.decode(start), fileSize, path, key);
        ReadDecision decision = ReadDecision.decide(info, options);
        if (options.headOnly() || decision.status() == 304) {
          channel.close();
          return new FsObjectRead(readWorkers, info, decision, null);
        }
        if (decision.slice().length() <= INLINE_READ_LIMIT) {
          Buffer content = whole ? FsObjectRead.content(start, decision.slice())
              : FsObjectRead.read(channel, decision.slice());
          channel.close();
          return FsObjectRead.inline(readWorkers, info, decision, content);
        }
        return new FsObjectRead(readWorkers, info, decision, channel);
      } catch (RuntimeException | IOException e) {
        FsObjectRead.closeQuietly(channel);
        throw e;
      }
    }));
  }

  @Override
  public Future<ObjectInfo> stat(String bucket, String key) {
    return withBucketDir(bucket, bucketDir -> reading(() -> {
      Path path = KeyPaths.objectPath(bucketDir, key);
      try (FileChannel channel = openObject(path, bucketDir)) {
        return info(ObjectHeader.read(channel), channel.size(), path, key);
      }
    }));
  }

  @Override
  public Future<Void> delete(String bucket, String key) {
    return withBucketDir(bucket, bucketDir -> blocking(() -> {
      requireBucketNow(bucketDir);
      files.delete(bucketDir, key);
      return null;
    }));
  }

  @Override
  public Future<List<ObjectInfo>> list(String bucket, ListQuery query) {
    return withBucketDir(bucket, bucketDir -> reading(() -> {
      requireBucketNow(bucketDir);
      return new FsListing(bucketDir, query).page();
    }));
  }

  @Override
  public Future<PresignedUrl> presign(String bucket, String key, PresignRequest request) {
    return Future.succeededFuture(signer.presign(bucket, key, request));
  }

  /**
   * A hard link of the source file renamed over the target: no bytes are copied, and readers holding the
   * previous target keep reading it. A target whose file name is hashed takes a real copy, because its header
   * must name its own key.
   */
  @Override
  public Future<Void> copy(String bucket, String sourceKey, String targetKey) {
    return withBucketDir(bucket, bucketDir -> blocking(() -> {
      requireBucketNow(bucketDir);
      Path source = KeyPaths.objectPath(bucketDir, sourceKey);
      Path target = KeyPaths.objectPath(bucketDir, targetKey);
      Path temp = tmpDir.resolve(UUID.randomUUID() + ".copy");
      try {
        if (KeyPaths.isHashed(target.getFileName().toString())) {
          Files.copy(source, temp);
          ObjectHeader header;
          try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.READ)) {
            header = ObjectHeader.read(channel);
          }
          files.commit(temp, bucketDir, targetKey, new ObjectHeader(targetKey, header.size(),
              header.contentType(), header.etag(), header.sha256(), header.lastModifiedMillis()));
        } else {
          Files.createLink(temp, source);
          files.moveIntoPlace(temp, bucketDir, targetKey);
        }
      } catch (NoSuchFileException e) {
        throw noSuchKey();
      } finally {
        Files.deleteIfExists(temp);
      }
      return null;
    }));
  }

  /** The bucket directories under the root (dot-names are the backend's own). */
  @Override
  public Future<List<String>> buckets() {
    return blocking(() -> {
      List<String> buckets = new java.util.ArrayList<>();
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
        for (Path dir : dirs) {
          String name = dir.getFileName().toString();
          if (!name.startsWith(".") && Files.isDirectory(dir)) {
            buckets.add(name);
          }
        }
      }
      buckets.sort(null);
      return buckets;
    });
  }

  @Override
  public Future<Void> check(boolean deep) {
    return blocking(() -> {
      if (!Files.isDirectory(root) || !Files.isReadable(root) || !Files.isWritable(root)) {
        throw StorageError.ServiceUnavailable.exception("The storage root " + root
            + " is not a readable, writable directory");
      }
      if (deep) {
        probe();
      }
      return null;
    });
  }

  /**
   * A small body (the common 4 KiB object) is read into memory first, bounded by {@link #SMALL_BODY}, and then
   * written, forced and renamed in one worker task: one thread hop instead of one per file operation.
   */
  private Future<ObjectInfo> putSmall(Path bucketDir, String key, VerifyingStream verified, PutOptions options,
                                      Path temp) {
    Promise<Buffer> read = Promise.promise();
    Buffer content = Buffer.buffer((int) options.contentLength());
    verified.exceptionHandler(read::tryFail);
    verified.endHandler(v -> read.tryComplete(content));
    verified.handler(content::appendBuffer);
    verified.resume();
    return read.future()
        .compose(bytes -> blocking(() -> {
          requireBucketNow(bucketDir);
          ObjectHeader header = new ObjectHeader(key, bytes.length(), options.contentType(), verified.etag(),
              verified.sha256Hex(), System.currentTimeMillis());
          boolean placed = false;
          try {
            files.create(temp, header, ((BufferInternal) bytes).getByteBuf().nioBuffer());
            files.moveIntoPlace(temp, bucketDir, key);
            placed = true;
          } finally {
            if (!placed) {
              // only then: on a file that is gone, the JDK's delete costs a failed lstat and an exception
              Files.deleteIfExists(temp);
            }
          }
          return header.toInfo();
        }))
        .recover(failure -> Future.failedFuture(putFailure(failure)));
  }

  private Future<Void> writeContent(Pipe<Buffer> pipe, AsyncFile file) {
    file.setWritePos(ObjectHeader.SIZE);
    return pipe.to(file)
        .recover(failure -> file.close().transform(ignored -> Future.failedFuture(failure)));
  }

  /** The client's or the body's failure passes through as is; a failing disk is an internal error. */
  private static Throwable putFailure(Throwable failure) {
    if (failure instanceof FileSystemException) {
      LOG.error("Writing an upload to disk failed", failure);
      return StorageError.InternalError.exception("The storage backend failed");
    }
    return failure;
  }

  private Future<Void> discard(Path temp) {
    return this.<Void>blocking(() -> {
      Files.deleteIfExists(temp);
      return null;
    }).recover(failure -> {
      LOG.warn("Could not remove the temp file {}", temp, failure);
      return Future.succeededFuture();
    });
  }

  private Future<Void> requireBucket(Path bucketDir) {
    return blocking(() -> {
      requireBucketNow(bucketDir);
      return null;
    });
  }

  private static void requireBucketNow(Path bucketDir) {
    if (!Files.isDirectory(bucketDir)) {
      throw noSuchBucket();
    }
  }

  private static FileChannel openObject(Path path, Path bucketDir) throws IOException {
    try {
      return FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      requireBucketNow(bucketDir);
      throw noSuchKey();
    }
  }

  /**
   * The object named by {@code key} from the header of its file at {@code path}: an unhashed file name stands for
   * its key alone (the file may be a hard link made by {@link #copy}, whose header names the key it was written
   * under); for a hashed name the header's key must match, which guards against a hash collision of a long segment.
   */
  private static ObjectInfo info(ObjectHeader header, long fileSize, Path path, String key) throws IOException {
    if (KeyPaths.isHashed(path.getFileName().toString()) && !header.key().equals(key)) {
      throw noSuchKey();
    }
    if (fileSize < ObjectHeader.SIZE + header.size()) {
      throw new IOException("Object file of " + key + " is shorter than its header says");
    }
    return header.toInfo().setKey(key);
  }

  private void probe() throws IOException {
    Path probe = tmpDir.resolve(UUID.randomUUID() + ".probe");
    byte[] content = ("probe " + Instant.now()).getBytes(StandardCharsets.UTF_8);
    try {
      Files.write(probe, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      if (!Arrays.equals(content, Files.readAllBytes(probe))) {
        throw StorageError.ServiceUnavailable.exception("The storage root returned other bytes than written");
      }
    } finally {
      Files.deleteIfExists(probe);
    }
  }

  private int removeStaleTempFiles(Instant before) throws IOException {
    int removed = 0;
    FileTime limit = FileTime.from(before);
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(tmpDir)) {
      for (Path temp : temps) {
        try {
          if (Files.isRegularFile(temp) && Files.getLastModifiedTime(temp).compareTo(limit) < 0) {
            Files.deleteIfExists(temp);
            removed++;
          }
        } catch (NoSuchFileException goneMeanwhile) {
          // another instance cleaned it
        }
      }
    }
    return removed;
  }

  private Path bucketDir(String bucket) {
    if (bucket == null || bucket.isEmpty() || bucket.startsWith(".") || bucket.indexOf('/') >= 0
        || bucket.indexOf('\\') >= 0) {
      throw StorageError.InvalidBucketName.exception("The specified bucket is not valid: " + bucket);
    }
    Path dir = root.resolve(bucket).normalize();
    if (!dir.getParent().equals(root)) {
      throw StorageError.InvalidBucketName.exception("The specified bucket is not valid: " + bucket);
    }
    return dir;
  }

  private <T> Future<T> withBucketDir(String bucket, Function<Path, Future<T>> operation) {
    Path dir;
    try {
      dir = bucketDir(bucket);
    } catch (StorageException e) {
      return Future.failedFuture(e);
    }
    return operation.apply(dir);
  }

  /** Runs file work on a worker; IO failures become {@code 500 InternalError} (logged), ours pass through. */
  private <T> Future<T> blocking(Callable<T> work) {
    return onWorker(fileWorkers, work);
  }

  /** {@link #blocking}, for work that only reads. */
  private <T> Future<T> reading(Callable<T> work) {
    return onWorker(readWorkers, work);
  }

  private static <T> Future<T> onWorker(WorkerExecutor workers, Callable<T> work) {
    return workers.<T>executeBlocking(work, false).recover(failure -> {
      if (failure instanceof StorageException) {
        return Future.failedFuture(failure);
      }
      LOG.error("Filesystem storage operation failed", failure);
      return Future.failedFuture(StorageError.InternalError.exception("The storage backend failed"));
    });
  }

  private static StorageException noSuchBucket() {
    return StorageError.NoSuchBucket.exception("The specified bucket does not exist");
  }

  private static StorageException noSuchKey() {
    return StorageError.NoSuchKey.exception("The specified key does not exist");
  }
}
