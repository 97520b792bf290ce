package com.dante.cacciaguida.storage.fs;

import com.dante.cacciaguida.storage.StorageError;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * The blocking file operations behind the filesystem backend (callers run them on worker threads): committing a
 * written temp file into a bucket's tree, and removing an object with the directories it leaves empty. Puts and
 * deletes of neighbouring keys race on the same directories without locks: a put recreates a parent a delete
 * just removed and tries again, and a delete never removes a directory that is not empty.
 */
final class ObjectFiles {

  private static final int MOVE_ATTEMPTS = 8;

  private final Path tmpDir;
  private final boolean fsync;

  ObjectFiles(Path tmpDir, boolean fsync) {
    this.tmpDir = tmpDir;
    this.fsync = fsync;
  }

  /**
   * Fills in the header of a temp file whose content is written, and renames it atomically over the object's
   * path. With fsync, the file is forced before and its directory after the rename (a durable PUT).
   */
  void commit(Path temp, Path bucketDir, String key, ObjectHeader header) throws IOException {
    writeHeader(temp, header);
    moveIntoPlace(temp, bucketDir, key);
  }

  /** Renames a complete object file atomically over the key's path, creating its parent directories. */
  void moveIntoPlace(Path temp, Path bucketDir, String key) throws IOException {
    Path target = KeyPaths.objectPath(bucketDir, key);
    for (int attempt = 1; ; attempt++) {
      try {
        createParents(bucketDir, key);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        break;
      } catch (NoSuchFileException parentRemoved) {
        if (attempt == MOVE_ATTEMPTS || !Files.exists(temp)) {
          throw parentRemoved;
        }
      }
    }
    if (fsync) {
      forceDirectory(target.getParent());
    }
  }

  /** Writes a whole object file (header, then content) in one go, forced when durable. */
  void create(Path temp, ObjectHeader header, ByteBuffer content) throws IOException {
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer bytes = header.encode();
      while (bytes.hasRemaining()) {
        channel.write(bytes, bytes.position());
      }
      long position = ObjectHeader.SIZE;
      while (content.hasRemaining()) {
        position += channel.write(content, position);
      }
      if (fsync) {
        channel.force(false);
      }
    }
  }

  /** Fills in the header of a temp file whose content is written (and forces it to disk with fsync). */
  void writeHeader(Path temp, ObjectHeader header) throws IOException {
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      ByteBuffer bytes = header.encode();
      while (bytes.hasRemaining()) {
        channel.write(bytes, bytes.position());
      }
      if (fsync) {
        // fdatasync: content and size; the timestamps fsync would add are not needed to read the object back
        channel.force(false);
      }
    }
  }

  /**
   * Deletes the object file (a missing one is fine), then its parent directories up to the bucket while they are
   * empty, as far as no concurrent put fills them again.
   */
  void delete(Path bucketDir, String key) throws IOException {
    Path file = KeyPaths.objectPath(bucketDir, key);
    Files.deleteIfExists(file);
    for (Path dir = file.getParent(); !dir.equals(bucketDir); dir = dir.getParent()) {
      if (!removeIfEmpty(dir)) {
        return;
      }
    }
  }

  /** Creates the directories of a key's parents below an existing bucket directory. */
  private void createParents(Path bucketDir, String key) throws IOException {
    Path dir = bucketDir;
    int start = 0;
    int slash;
    while ((slash = key.indexOf('/', start)) >= 0) {
      String segment = key.substring(start, slash);
      dir = dir.resolve(KeyPaths.directoryName(segment));
      try {
        Files.createDirectory(dir);
      } catch (FileAlreadyExistsException exists) {
        // a neighbouring key made it first
      } catch (NoSuchFileException parentGone) {
        if (!Files.isDirectory(bucketDir)) {
          throw StorageError.NoSuchBucket.exception("The specified bucket does not exist");
        }
        throw parentGone;
      }
      if (KeyPaths.isHashed(dir.getFileName().toString())) {
        ensureHashedName(dir, segment);
      }
      start = slash + 1;
    }
  }

  private boolean removeIfEmpty(Path dir) throws IOException {
    if (!KeyPaths.isHashed(dir.getFileName().toString())) {
      try {
        Files.delete(dir);
        return true;
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        return false;
      }
    }
    Path nameFile = dir.resolve(KeyPaths.HASHED_NAME_FILE);
    String segment;
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      for (Path child : children) {
        if (!child.getFileName().toString().equals(KeyPaths.HASHED_NAME_FILE)) {
          return false;
        }
      }
      segment = Files.readString(nameFile, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return false;
    }
    Files.deleteIfExists(nameFile);
    try {
      Files.delete(dir);
      return true;
    } catch (DirectoryNotEmptyException refilled) {
      // a put moved an object in between: the directory stays, and so must its name
      ensureHashedName(dir, segment);
      return false;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  /** Writes a hashed directory's real segment, atomically so that readers never see half of it. */
  private void ensureHashedName(Path dir, String segment) throws IOException {
    Path nameFile = dir.resolve(KeyPaths.HASHED_NAME_FILE);
    if (Files.exists(nameFile)) {
      return;
    }
    Path temp = tmpDir.resolve(UUID.randomUUID() + ".name");
    try {
      Files.writeString(temp, segment, StandardCharsets.UTF_8);
      Files.move(temp, nameFile, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void forceDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
