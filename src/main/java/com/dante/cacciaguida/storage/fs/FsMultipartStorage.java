package com.dante.cacciaguida.storage.fs;

import com.dante.cacciaguida.storage.MultipartStorage;
import com.dante.cacciaguida.storage.ObjectInfo;
import com.dante.cacciaguida.storage.ObjectNames;
import com.dante.cacciaguida.storage.Part;
import com.dante.cacciaguida.storage.PartRef;
import com.dante.cacciaguida.storage.PartSelection;
import com.dante.cacciaguida.storage.PutOptions;
import com.dante.cacciaguida.storage.StorageError;
import com.dante.cacciaguida.storage.StorageException;
import com.dante.cacciaguida.storage.Upload;
import com.dante.cacciaguida.storage.UploadIds;
import com.dante.cacciaguida.storage.VerifyingStream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.Pipe;
import io.vertx.core.streams.ReadStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * Multipart uploads on the filesystem backend. An upload is a directory {@code <root>/.uploads/<uploadId>/} (hidden
 * from buckets, whose names never start with a dot) holding {@value #SESSION_FILE} (bucket, key, content type,
 * initiated) and one file per part, each an {@link ObjectHeader} plus the part's bytes, written in
 * {@code <root>/.tmp} and renamed into place so a re-sent part replaces the old one atomically.
 *
 * <p>Completion copies the chosen parts in order into one temp object file on a worker thread through a fixed
 * buffer, computing the whole object's SHA-256 as it goes, checks it against the client's digest, and renames the
 * file over the key ({@link ObjectFiles#commit}); only then is the upload's directory removed. The ETag is S3's
 * multipart ETag: the MD5 of the parts' binary MD5s, a dash and the part count.
 */
public final class FsMultipartStorage implements MultipartStorage {

  static final String UPLOADS_DIR = ".uploads";
  static final String SESSION_FILE = "session.json";
  private static final String PART_PREFIX = "part-";
  private static final int COPY_BUFFER = 1024 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(FsMultipartStorage.class);

  private final Vertx vertx;
  private final Path root;
  private final Path uploadsDir;
  private final Path tmpDir;
  private final ObjectFiles files;
  private final SecureRandom random = new SecureRandom();

  public FsMultipartStorage(Vertx vertx, Path root, boolean fsync) {
    this.vertx = vertx;
    this.root = root.toAbsolutePath().normalize();
    this.uploadsDir = this.root.resolve(UPLOADS_DIR);
    this.tmpDir = this.root.resolve(FsObjectStorage.TMP_DIR);
    this.files = new ObjectFiles(tmpDir, fsync);
  }

  @Override
  public Future<Upload> create(String bucket, String key, String contentType) {
    return blocking(() -> {
      Path bucketDir = bucketDir(bucket);
      ObjectNames.validateKey(key);
      KeyPaths.objectPath(bucketDir, key);
      // the object header must hold key and content type: refuse now, not after the client sent gigabytes
      new ObjectHeader(key, Long.MAX_VALUE, contentType, "\"" + "0".repeat(32) + "-10000\"", "0".repeat(64),
          Long.MAX_VALUE).encode();
      if (!Files.isDirectory(bucketDir)) {
        throw StorageError.NoSuchBucket.exception("The specified bucket does not exist");
      }
      String uploadId = newUploadId(bucket);
      Instant initiated = Instant.now();
      Path dir = uploadsDir.resolve(uploadId);
      Files.createDirectories(dir);
      JsonObject session = new JsonObject().put("bucket", bucket).put("key", key).put("contentType", contentType)
          .put("initiated", initiated.toEpochMilli());
      Path temp = tmpDir.resolve(UUID.randomUUID() + ".session");
      Files.createDirectories(tmpDir);
      Files.write(temp, session.toBuffer().getBytes(), StandardOpenOption.CREATE_NEW);
      Files.move(temp, dir.resolve(SESSION_FILE), StandardCopyOption.ATOMIC_MOVE);
      return new Upload(uploadId, bucket, key, contentType, initiated, List.of());
    });
  }

  @Override
  public Future<Part> uploadPart(String uploadId, int partNumber, ReadStream<Buffer> body, PutOptions options) {
    VerifyingStream verified = new VerifyingStream(body, options);
    // created now so that a client failing while the session is read is not missed
    Pipe<Buffer> pipe = verified.pipe().endOnFailure(false);
    Path temp = tmpDir.resolve(UUID.randomUUID() + ".part");
    return blocking(() -> readSession(uploadId))
        .compose(session -> vertx.fileSystem().open(temp.toString(),
            new OpenOptions().setWrite(true).setCreateNew(true)))
        .compose(file -> {
          file.setWritePos(ObjectHeader.SIZE);
          return pipe.to(file).recover(failure -> file.close().transform(ignored -> Future.failedFuture(failure)));
        })
        .compose(v -> blocking(() -> {
          ObjectHeader header = new ObjectHeader(partName(partNumber), verified.count(), null, verified.etag(),
              verified.sha256Hex(), System.currentTimeMillis());
          files.writeHeader(temp, header);
          Path dir = sessionDir(uploadId);
          try {
            Files.move(temp, dir.resolve(partName(partNumber)), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
          } catch (NoSuchFileException abortedMeanwhile) {
            throw UploadIds.noSuchUpload();
          }
          return new Part(partNumber, verified.count(), verified.etag());
        }))
        .recover(failure -> discard(temp).transform(ignored -> Future.failedFuture(failure)));
  }

  @Override
  public Future<Upload> listParts(String uploadId) {
    return blocking(() -> {
      Upload session = readSession(uploadId);
      return new Upload(uploadId, session.bucket(), session.key(), session.contentType(), session.initiated(),
          parts(sessionDir(uploadId)));
    });
  }

  @Override
  public Future<ObjectInfo> complete(String uploadId, List<PartRef> requested, String sha256, String targetKey) {
    return blocking(() -> {
      Upload session = readSession(uploadId);
      Path dir = sessionDir(uploadId);
      List<Part> selected = PartSelection.select(parts(dir), requested);
      Path bucketDir = bucketDir(session.bucket());
      if (!Files.isDirectory(bucketDir)) {
        throw StorageError.NoSuchBucket.exception("The specified bucket does not exist");
      }
      Path temp = tmpDir.resolve(UUID.randomUUID() + ".complete");
      try {
        ObjectHeader header = assemble(dir, selected, temp, session, sha256, targetKey);
        files.commit(temp, bucketDir, targetKey, header);
        deleteTree(dir);
        return header.toInfo();
      } finally {
        Files.deleteIfExists(temp);
      }
    });
  }

  @Override
  public Future<Void> abort(String uploadId) {
    return blocking(() -> {
      readSession(uploadId);
      deleteTree(sessionDir(uploadId));
      return null;
    });
  }

  @Override
  public Future<List<Upload>> listUploads(String bucket) {
    return blocking(() -> {
      if (!Files.isDirectory(bucketDir(bucket))) {
        throw StorageError.NoSuchBucket.exception("The specified bucket does not exist");
      }
      List<Upload> uploads = new ArrayList<>();
      for (Path dir : sessionDirs()) {
        try {
          Upload upload = readSession(dir.getFileName().toString());
          if (upload.bucket().equals(bucket)) {
            uploads.add(upload);
          }
        } catch (StorageException goneOrBroken) {
          // completed, aborted or half-created meanwhile: not an open upload
        }
      }
      uploads.sort(Comparator.comparing(Upload::key, ObjectNames.KEY_ORDER).thenComparing(Upload::initiated));
      return uploads;
    });
  }

  @Override
  public Future<Integer> expire(Instant olderThan) {
    return blocking(() -> {
      int expired = 0;
      for (Path dir : sessionDirs()) {
        if (initiated(dir).isBefore(olderThan)) {
          deleteTree(dir);
          expired++;
          LOG.info("Expired the upload {}", dir.getFileName());
        }
      }
      return expired;
    });
  }

  @Override
  public Future<Integer> countOpen() {
    return blocking(() -> sessionDirs().size());
  }

  /** Copies the parts into {@code temp} after its header's room, checking the whole object's digest. */
  private ObjectHeader assemble(Path dir, List<Part> parts, Path temp, Upload session, String sha256,
                                String targetKey)
      throws IOException {
    MessageDigest whole = digest("SHA-256");
    MessageDigest etag = digest("MD5");
    ByteBuffer buffer = ByteBuffer.allocateDirect(COPY_BUFFER);
    long size = 0;
    Files.createDirectories(tmpDir);
    try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      out.position(ObjectHeader.SIZE);
      for (Part part : parts) {
        try (FileChannel in = FileChannel.open(dir.resolve(partName(part.number())), StandardOpenOption.READ)) {
          // the part read is the one whose ETag was checked: a re-send meanwhile replaced the name, not this file
          ObjectHeader header = ObjectHeader.read(in);
          if (!header.etag().equals(part.etag())) {
            throw StorageError.InvalidPart.exception("Part " + part.number() + " was replaced during completion");
          }
          in.position(ObjectHeader.SIZE);
          long left = header.size();
          while (left > 0) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), left));
            int read = in.read(buffer);
            if (read < 0) {
              throw new IOException("Part file " + part.number() + " is shorter than its header says");
            }
            buffer.flip();
            whole.update(buffer.duplicate());
            while (buffer.hasRemaining()) {
              out.write(buffer);
            }
            left -= read;
          }
          size += header.size();
          etag.update(HexFormat.of().parseHex(unquoted(header.etag())));
        } catch (NoSuchFileException replacedOrAborted) {
          throw StorageError.InvalidPart.exception("Part " + part.number() + " is gone");
        }
      }
    }
    String sha256Hex = HexFormat.of().formatHex(whole.digest());
    if (sha256 != null && !sha256.equalsIgnoreCase(sha256Hex)) {
      throw StorageError.BadDigest.exception("The X-Checksum-Sha256 you specified did not match the assembled "
          + "object");
    }
    String objectEtag = "\"" + HexFormat.of().formatHex(etag.digest()) + "-" + parts.size() + "\"";
    return new ObjectHeader(targetKey, size, session.contentType(), objectEtag, sha256Hex,
        System.currentTimeMillis());
  }

  private List<Part> parts(Path dir) throws IOException {
    List<Part> parts = new ArrayList<>();
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir, PART_PREFIX + "*")) {
      for (Path child : children) {
        try (FileChannel channel = FileChannel.open(child, StandardOpenOption.READ)) {
          ObjectHeader header = ObjectHeader.read(channel);
          parts.add(new Part(Integer.parseInt(child.getFileName().toString().substring(PART_PREFIX.length())),
              header.size(), header.etag()));
        } catch (NoSuchFileException replaced) {
          // a concurrent re-send renames over it: the listing may miss one part for a moment, never show half
        }
      }
    } catch (NoSuchFileException gone) {
      throw UploadIds.noSuchUpload();
    }
    parts.sort(Comparator.comparingInt(Part::number));
    return parts;
  }

  private Upload readSession(String uploadId) throws IOException {
    Path file = sessionDir(uploadId).resolve(SESSION_FILE);
    try {
      JsonObject json = new JsonObject(Buffer.buffer(Files.readAllBytes(file)));
      if (!UploadIds.bucketOf(uploadId).equals(json.getString("bucket"))) {
        throw UploadIds.noSuchUpload();
      }
      return new Upload(uploadId, json.getString("bucket"), json.getString("key"), json.getString("contentType"),
          Instant.ofEpochMilli(json.getLong("initiated")), List.of());
    } catch (NoSuchFileException | DecodeException | NullPointerException | ClassCastException e) {
      throw UploadIds.noSuchUpload();
    }
  }

  /** When the upload began: from its session, or for one a crash left half-created, its directory's time. */
  private Instant initiated(Path dir) throws IOException {
    try {
      return readSession(dir.getFileName().toString()).initiated();
    } catch (StorageException noSession) {
      try {
        return Files.getLastModifiedTime(dir).toInstant();
      } catch (NoSuchFileException gone) {
        return Instant.MAX;
      }
    }
  }

  private Path sessionDir(String uploadId) {
    // the id's shape ([A-Za-z0-9_-]) keeps it one plain name inside the uploads directory
    return uploadsDir.resolve(UploadIds.validate(uploadId));
  }

  private List<Path> sessionDirs() throws IOException {
    if (!Files.isDirectory(uploadsDir)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(uploadsDir)) {
      return dirs.filter(Files::isDirectory).toList();
    }
  }

  private Path bucketDir(String bucket) {
    return root.resolve(ObjectNames.validateBucket(bucket));
  }

  private String newUploadId(String bucket) {
    byte[] bytes = new byte[18];
    random.nextBytes(bytes);
    return UploadIds.create(bucket, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
  }

  private static String partName(int partNumber) {
    return PART_PREFIX + String.format("%05d", partNumber);
  }

  /**
   * Removes an upload's directory. A part renamed in while it is emptied makes the directory non-empty again:
   * another round removes it too.
   */
  private static void deleteTree(Path dir) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
        return;
      } catch (NoSuchFileException alreadyGone) {
        return; // removed by a concurrent abort or expiry
      } catch (UncheckedIOException walkFailed) {
        if (walkFailed.getCause() instanceof NoSuchFileException) {
          return;
        }
        throw walkFailed.getCause();
      } catch (DirectoryNotEmptyException refilled) {
        if (attempt == 3) {
          throw refilled;
        }
      }
    }
  }

  private Future<Void> discard(Path temp) {
    return vertx.<Void>executeBlocking(() -> {
      Files.deleteIfExists(temp);
      return null;
    }, false).otherwiseEmpty();
  }

  /** Runs file work on a worker; IO failures become {@code 500 InternalError} (logged), ours pass through. */
  private <T> Future<T> blocking(Callable<T> work) {
    return vertx.<T>executeBlocking(work, false).recover(failure -> {
      if (failure instanceof StorageException) {
        return Future.failedFuture(failure);
      }
      LOG.error("Filesystem multipart operation failed", failure);
      return Future.failedFuture(StorageError.InternalError.exception("The storage backend failed"));
    });
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String unquoted(String etag) {
    return etag.substring(1, etag.length() - 1);
  }
}
