package com.dante.cacciaguida.storage.fs;

import com.dante.cacciaguida.storage.ListQuery;
import com.dante.cacciaguida.storage.ObjectInfo;
import com.dante.cacciaguida.storage.ObjectNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * One page of a bucket's listing, produced by walking its directory tree lazily in key order (blocking: run it on
 * a worker). Each directory's entries are sorted with a directory standing for {@code segment + "/"}, which makes
 * a depth-first walk visit keys in {@link ObjectNames#KEY_ORDER}: every key below a directory starts with that
 * string. The walk goes straight to the directory of the prefix's complete segments, skips sub-trees that sort
 * wholly before {@code startAfter} without opening them, and stops after {@code maxKeys} entries, so the memory
 * of a page is bounded by the depth of the tree and the size of its directories, not by the bucket.
 */
final class FsListing {

  private static final Logger LOG = LoggerFactory.getLogger(FsListing.class);

  private final Path bucketDir;
  private final ListQuery query;

  FsListing(Path bucketDir, ListQuery query) {
    this.bucketDir = bucketDir;
    this.query = query;
  }

  List<ObjectInfo> page() throws IOException {
    String prefix = query.prefix();
    int slash = prefix.lastIndexOf('/');
    String base = prefix.substring(0, slash + 1);
    String partial = prefix.substring(slash + 1);
    List<ObjectInfo> page = new ArrayList<>();
    Deque<Frame> stack = new ArrayDeque<>();
    stack.push(new Frame(base, entries(KeyPaths.directoryPath(bucketDir, base), partial).iterator()));
    while (!stack.isEmpty() && page.size() < query.maxKeys()) {
      Frame frame = stack.peek();
      if (!frame.entries.hasNext()) {
        stack.pop();
        continue;
      }
      Entry entry = frame.entries.next();
      if (entry.directory) {
        String dirKey = frame.keyPrefix + entry.segment + "/";
        if (!query.recursive()) {
          if (query.after(dirKey) && holdsObject(entry.path)) {
            page.add(ObjectInfo.commonPrefix(dirKey));
          }
        } else if (mayHoldKeysAfterStart(dirKey)) {
          stack.push(new Frame(dirKey, entries(entry.path, "").iterator()));
        }
      } else if (query.after(frame.keyPrefix + entry.segment)) {
        ObjectHeader header = entry.header != null ? entry.header : readHeader(entry.path);
        if (header != null) {
          // the path names the key: the file may be a hard link whose header names the key it was written under
          page.add(header.toInfo().setKey(frame.keyPrefix + entry.segment));
        }
      }
    }
    return page;
  }

  /** False when every key below {@code dirKey} sorts at or before {@code startAfter}. */
  private boolean mayHoldKeysAfterStart(String dirKey) {
    String startAfter = query.startAfter();
    return startAfter == null || startAfter.startsWith(dirKey)
        || ObjectNames.KEY_ORDER.compare(dirKey, startAfter) > 0;
  }

  /** The directory's entries whose segment starts with {@code partial}, in key order; none if it is gone. */
  private List<Entry> entries(Path dir, String partial) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      for (Path child : children) {
        Entry entry = entry(child);
        if (entry != null && entry.segment.startsWith(partial)) {
          entries.add(entry);
        }
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      return List.of();
    }
    entries.sort(Comparator.comparing(Entry::sortKey, ObjectNames.KEY_ORDER));
    return entries;
  }

  /** The entry a file name stands for, or null for internal files and entries that vanished meanwhile. */
  private Entry entry(Path child) throws IOException {
    String name = child.getFileName().toString();
    if (name.isEmpty()) {
      return null;
    }
    switch (name.charAt(0)) {
      case KeyPaths.OBJECT:
        return new Entry(KeyPaths.decodeSegment(name), false, child, null);
      case KeyPaths.DIRECTORY:
        return new Entry(KeyPaths.decodeSegment(name), true, child, null);
      case KeyPaths.HASHED_OBJECT: {
        ObjectHeader header = readHeader(child);
        if (header == null) {
          return null;
        }
        String key = header.key();
        return new Entry(key.substring(key.lastIndexOf('/') + 1), false, child, header);
      }
      case KeyPaths.HASHED_DIRECTORY: {
        try {
          return new Entry(Files.readString(child.resolve(KeyPaths.HASHED_NAME_FILE), StandardCharsets.UTF_8),
              true, child, null);
        } catch (NoSuchFileException e) {
          LOG.debug("Skipping {}: no {} (being created or removed)", child, KeyPaths.HASHED_NAME_FILE);
          return null;
        }
      }
      default:
        return null;
    }
  }

  /** True when some object lies below {@code dir}; stops at the first one. */
  private boolean holdsObject(Path dir) throws IOException {
    List<Path> subdirs = new ArrayList<>();
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      for (Path child : children) {
        char kind = child.getFileName().toString().charAt(0);
        if (kind == KeyPaths.OBJECT || kind == KeyPaths.HASHED_OBJECT) {
          return true;
        }
        if (kind == KeyPaths.DIRECTORY || kind == KeyPaths.HASHED_DIRECTORY) {
          subdirs.add(child);
        }
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      return false;
    }
    for (Path subdir : subdirs) {
      if (holdsObject(subdir)) {
        return true;
      }
    }
    return false;
  }

  private static ObjectHeader readHeader(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return ObjectHeader.read(channel);
    } catch (NoSuchFileException deletedMeanwhile) {
      return null;
    }
  }

  private record Entry(String segment, boolean directory, Path path, ObjectHeader header) {
    String sortKey() {
      return directory ? segment + "/" : segment;
    }
  }

  private record Frame(String keyPrefix, Iterator<Entry> entries) {
  }
}
