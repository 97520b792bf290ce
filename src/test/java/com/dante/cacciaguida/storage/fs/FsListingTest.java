package com.dante.cacciaguida.storage.fs;

import com.dante.cacciaguida.storage.ListQuery;
import com.dante.cacciaguida.storage.ObjectInfo;
import com.dante.cacciaguida.storage.ObjectNames;
import com.dante.cacciaguida.storage.PutOptions;
import com.dante.cacciaguida.storage.StorageError;
import com.dante.cacciaguida.storage.StorageException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static com.dante.cacciaguida.storage.fs.Await.result;
import static com.dante.cacciaguida.storage.fs.FsObjectStorageTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class FsListingTest {

  private static final String BUCKET = "listing";
  private static final String ALPHABET = "ab/-.Zé日";

  @TempDir
  Path root;

  private Vertx vertx;
  private FsObjectStorage storage;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    storage = new FsObjectStorage(vertx, root, false, "s".getBytes(StandardCharsets.UTF_8));
    result(storage.start());
    result(storage.ensureBucket(BUCKET));
  }

  @Test
  @DisplayName("a recursive listing returns the keys in code-point order, whatever the directory layout")
  void listingOrder() {
    List<String> keys = List.of("ab", "a/b", "a.b", "a-c", "a", "a/", "a/b/c", "a0", "b", "Z", "é", "日本", "a//x",
        "a/b-c", "a/b.c", "a/bb", "x".repeat(300), "x".repeat(299) + "/y");
    putAll(keys);

    assertEquals(sorted(keys), keysOf(list("", true, null, 1000)));
  }

  @Test
  @DisplayName("a non-recursive listing folds deeper keys into common prefixes (size 0, key ending in /)")
  void commonPrefixes() {
    putAll(List.of("top.txt", "dir/one", "dir/two/deep", "dir2/x", "dis"));

    List<ObjectInfo> level = list("", false, null, 1000);
    assertEquals(List.of("dir/", "dir2/", "dis", "top.txt"), keysOf(level));
    assertTrue(level.get(0).isCommonPrefix());
    assertEquals(0, level.get(0).getSize());

    assertEquals(List.of("dir/one", "dir/two/"), keysOf(list("dir/", false, null, 1000)));
    assertEquals(List.of("dir/", "dir2/", "dis"), keysOf(list("di", false, null, 1000)));
  }

  @Test
  @DisplayName("an emptied sub-tree is no common prefix, and internal or foreign files never show")
  void internalFilesAreInvisible() throws IOException {
    putAll(List.of("keep/a", "gone/b"));
    result(storage.delete(BUCKET, "gone/b"));
    Path bucketDir = root.resolve(BUCKET);
    Files.createDirectories(bucketDir.resolve("dempty").resolve("dnested"));
    Files.writeString(bucketDir.resolve(".internal"), "x");
    Files.writeString(bucketDir.resolve("dkeep").resolve(".uploads"), "x");
    Files.writeString(bucketDir.resolve("foreign-file"), "x");

    assertEquals(List.of("keep/"), keysOf(list("", false, null, 1000)));
    assertEquals(List.of("keep/a"), keysOf(list("", true, null, 1000)));
  }

  @Test
  @DisplayName("sub-trees before startAfter are skipped without being read")
  void startAfterSkipsSubTrees() throws IOException {
    String longKey = "a/" + "x".repeat(300);
    putAll(List.of(longKey, "b/1", "c"));
    // a hashed object's name needs its header to be read: corrupt it, so reading the sub-tree would fail
    Files.writeString(KeyPaths.objectPath(root.resolve(BUCKET), longKey), "not a header");

    assertEquals(List.of("b/1", "c"), keysOf(list("", true, "a0", 1000)));
    assertError(StorageError.InternalError, storage.list(BUCKET, new ListQuery("", true, null, 1000)));
  }

  @Test
  @DisplayName("any prefix, startAfter and maxKeys, and paging with startAfter, match a sorted in-memory listing")
  void matchesTheModel() {
    Random random = new Random(42);
    Set<String> keySet = new LinkedHashSet<>();
    while (keySet.size() < 300) {
      String key = randomString(random, 1 + random.nextInt(7));
      if (isValidKey(key)) {
        keySet.add(key);
      }
    }
    List<String> keys = new ArrayList<>(keySet);
    putAll(keys);
    List<String> sorted = sorted(keys);

    for (int round = 0; round < 120; round++) {
      String prefix = random.nextInt(4) == 0 ? "" : prefixOf(random, sorted.get(random.nextInt(sorted.size())));
      boolean recursive = random.nextBoolean();
      String startAfter = switch (random.nextInt(3)) {
        case 0 -> null;
        case 1 -> sorted.get(random.nextInt(sorted.size()));
        default -> randomString(random, 1 + random.nextInt(4));
      };
      int maxKeys = 1 + random.nextInt(40);
      String query = "prefix=" + prefix + " recursive=" + recursive + " startAfter=" + startAfter + " max=" + maxKeys;

      List<String> expected = model(sorted, prefix, recursive, startAfter);
      assertEquals(expected.subList(0, Math.min(maxKeys, expected.size())),
          keysOf(list(prefix, recursive, startAfter, maxKeys)), query);
      assertEquals(expected, pageThrough(prefix, recursive, startAfter, maxKeys), "paged " + query);
    }
  }

  @Test
  @DisplayName("listing a missing bucket is NoSuchBucket")
  void missingBucket() {
    Future<List<ObjectInfo>> listing = storage.list("no-such-bucket", new ListQuery("", true, null, 10));
    assertEquals(StorageError.NoSuchBucket, ((StorageException) Await.failure(listing)).error());
  }

  private List<String> pageThrough(String prefix, boolean recursive, String startAfter, int maxKeys) {
    List<String> all = new ArrayList<>();
    String after = startAfter;
    while (true) {
      List<String> page = keysOf(list(prefix, recursive, after, maxKeys));
      all.addAll(page);
      if (page.size() < maxKeys) {
        return all;
      }
      after = page.get(page.size() - 1);
    }
  }

  private static List<String> model(List<String> sorted, String prefix, boolean recursive, String startAfter) {
    TreeSet<String> entries = new TreeSet<>(ObjectNames.KEY_ORDER);
    for (String key : sorted) {
      if (!key.startsWith(prefix)) {
        continue;
      }
      int slash = key.indexOf('/', prefix.length());
      entries.add(recursive || slash < 0 ? key : key.substring(0, slash + 1));
    }
    return entries.stream()
        .filter(entry -> startAfter == null || ObjectNames.KEY_ORDER.compare(entry, startAfter) > 0)
        .toList();
  }

  private void putAll(List<String> keys) {
    List<Future<ObjectInfo>> puts = new ArrayList<>();
    for (String key : keys) {
      Buffer body = Buffer.buffer(key);
      puts.add(storage.put(BUCKET, key, TestBody.of(vertx, body),
          new PutOptions("text/plain", body.length(), Long.MAX_VALUE, null, null)));
    }
    result(Future.all(puts));
  }

  private List<ObjectInfo> list(String prefix, boolean recursive, String startAfter, int maxKeys) {
    return result(storage.list(BUCKET, new ListQuery(prefix, recursive, startAfter, maxKeys)));
  }

  private static List<String> keysOf(List<ObjectInfo> infos) {
    return infos.stream().map(ObjectInfo::getKey).toList();
  }

  private static List<String> sorted(List<String> keys) {
    return keys.stream().sorted(ObjectNames.KEY_ORDER).toList();
  }

  private static String randomString(Random random, int length) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return out.toString();
  }

  private static String prefixOf(Random random, String key) {
    return key.substring(0, random.nextInt(key.length() + 1));
  }

  private static boolean isValidKey(String key) {
    try {
      ObjectNames.validateKey(key);
      return true;
    } catch (StorageException e) {
      return false;
    }
  }
}
