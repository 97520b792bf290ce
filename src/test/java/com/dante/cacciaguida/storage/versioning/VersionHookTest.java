package com.dante.cacciaguida.storage.versioning;

import com.dante.cacciaguida.presign.PresignSigner;
import com.dante.cacciaguida.storage.BufferReadStream;
import com.dante.cacciaguida.storage.GetOptions;
import com.dante.cacciaguida.storage.ObjectInfo;
import com.dante.cacciaguida.storage.PutOptions;
import com.dante.cacciaguida.storage.fs.FsObjectStorage;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two-phase hook multipart completion uses ({@link VersionedStorage#versionTarget} at initiation,
 * {@link VersionedStorage#commitTarget} at completion), on the filesystem backend.
 */
@DisplayName("The version hook for writers outside the layer")
class VersionHookTest {

  private static final byte[] SECRET = "hook-test-secret".getBytes(StandardCharsets.UTF_8);

  private Vertx vertx;
  private FsObjectStorage fs;
  private VersionedStorage storage;

  @BeforeEach
  void start(@TempDir Path root) {
    vertx = Vertx.vertx();
    fs = new FsObjectStorage(vertx, root, false, SECRET);
    storage = new VersionedStorage(vertx, fs, fs, new PresignSigner(SECRET));
    storage.start().await();
    storage.ensureBucket("hooked").await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  @DisplayName("In a versioned bucket the target is a new version's key, and committing it makes it current")
  void versionedTarget() {
    storage.setVersioning("hooked", BucketSettings.Status.Enabled).await();
    storage.put("hooked", "big.bin", body("old"), options(3)).await();
    String target = storage.versionTarget("hooked", "big.bin").await();
    assertTrue(target.startsWith(VersionKeys.versionsOf("big.bin")), target);
    ObjectInfo written = fs.put("hooked", target, body("assembled"), options(9)).await();
    ObjectInfo committed = storage.commitTarget("hooked", "big.bin", target, written).await();
    assertEquals("big.bin", committed.getKey());
    assertEquals(VersionKeys.idOf(target), committed.getVersionId());
    assertEquals("assembled", read("big.bin"));
    assertEquals(List.of(committed.getVersionId(), "old"), versionsAndOldest());
  }

  @Test
  @DisplayName("Unversioned, the target is the key itself; if versioning was enabled meanwhile it becomes a version")
  void enabledMeanwhile() {
    String target = storage.versionTarget("hooked", "late.bin").await();
    assertEquals("late.bin", target);
    storage.setVersioning("hooked", BucketSettings.Status.Enabled).await();
    ObjectInfo written = fs.put("hooked", target, body("late"), options(4)).await();
    ObjectInfo committed = storage.commitTarget("hooked", "late.bin", target, written).await();
    assertEquals(committed.getVersionId(), storage.stat("hooked", "late.bin").await().getVersionId());
    assertEquals(1, storage.versions("hooked", "late.bin").next().await().size());
    assertEquals("late", read("late.bin"));
  }

  @Test
  @DisplayName("In a bucket never versioned the hook changes nothing")
  void unversioned() {
    ObjectInfo written = fs.put("hooked", "plain.bin", body("plain"), options(5)).await();
    assertNull(storage.commitTarget("hooked", "plain.bin", "plain.bin", written).await().getVersionId());
    assertEquals(List.of(), storage.versions("hooked", "").next().await());
  }

  private List<String> versionsAndOldest() {
    List<VersionEntry> entries = storage.versions("hooked", "big.bin").next().await();
    VersionEntry oldest = entries.get(entries.size() - 1);
    String oldContent = storage.getVersion("hooked", "big.bin", oldest.id().id(), GetOptions.whole())
        .compose(r -> r.readAll()).await().toString();
    return List.of(entries.get(0).id().id(), oldContent);
  }

  private String read(String key) {
    return storage.get("hooked", key, GetOptions.whole()).compose(r -> r.readAll()).await().toString();
  }

  private BufferReadStream body(String text) {
    return new BufferReadStream(vertx.getOrCreateContext(), Buffer.buffer(text));
  }

  private static PutOptions options(long length) {
    return new PutOptions("application/octet-stream", length, 1024, null, null);
  }
}
