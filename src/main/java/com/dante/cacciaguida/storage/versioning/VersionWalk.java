package com.dante.cacciaguida.storage.versioning;

import com.dante.cacciaguida.storage.ListQuery;
import com.dante.cacciaguida.storage.ObjectInfo;
import com.dante.cacciaguida.storage.ObjectStorage;
import io.vertx.core.Future;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Walks the versions of every key under a prefix, one backend page at a time: memory holds one page and the
 * keys being walked, never the listing. Versions of a key sort newest first (their ids do), but the versions of
 * a deeper key ({@code k/x}) may sort among those of {@code k}; the walk keeps the chain of keys whose versions
 * it is inside (bounded by the depth of a key), so it knows for each version whether it is the latest and since
 * when it is noncurrent (the creation of the next newer one).
 */
public final class VersionWalk {

  private record Open(String key, String region, long newerMicros) {
  }

  private final ObjectStorage backend;
  private final String bucket;
  private final String listPrefix;
  private final Deque<Open> open = new ArrayDeque<>();
  private String startAfter;
  private boolean done;

  VersionWalk(ObjectStorage backend, String bucket, String keyPrefix) {
    this.backend = backend;
    this.bucket = bucket;
    this.listPrefix = VersionKeys.versionsUnder(keyPrefix);
  }

  /** The next versions in key order; an empty list when the walk is over. */
  public Future<List<VersionEntry>> next() {
    if (done) {
      return Future.succeededFuture(List.of());
    }
    return backend.list(bucket, new ListQuery(listPrefix, true, startAfter, ListQuery.MAX_PAGE)).compose(page -> {
      done = page.size() < ListQuery.MAX_PAGE;
      if (!page.isEmpty()) {
        startAfter = page.get(page.size() - 1).getKey();
      }
      List<VersionEntry> entries = new ArrayList<>(page.size());
      for (ObjectInfo stored : page) {
        VersionEntry entry = entry(stored);
        if (entry != null) {
          entries.add(entry);
        }
      }
      // a page of only foreign objects must not look like the end
      return entries.isEmpty() && !done ? next() : Future.succeededFuture(entries);
    });
  }

  private VersionEntry entry(ObjectInfo stored) {
    String storedKey = stored.getKey();
    if (!VersionKeys.isVersionKey(storedKey)) {
      return null;
    }
    VersionId id = VersionId.parse(VersionKeys.idOf(storedKey));
    if (id == null) {
      return null;
    }
    String key = VersionKeys.keyOf(storedKey);
    while (!open.isEmpty() && !storedKey.startsWith(open.peek().region())) {
      open.pop();
    }
    Open top = open.peek();
    if (top != null && top.key().equals(key)) {
      open.pop();
      open.push(new Open(key, top.region(), id.micros()));
      return new VersionEntry(key, id, stored, false, VersionId.instantOf(top.newerMicros()));
    }
    open.push(new Open(key, VersionKeys.versionsOf(key), id.micros()));
    return new VersionEntry(key, id, stored, true, null);
  }
}
