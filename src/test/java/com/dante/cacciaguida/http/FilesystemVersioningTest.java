package com.dante.cacciaguida.http;

import org.junit.jupiter.api.DisplayName;

import java.nio.file.Path;
import java.util.Map;

@DisplayName("Versioning and lifecycle on the filesystem backend")
class FilesystemVersioningTest extends VersioningApiContract {

  @Override
  protected Map<String, String> backendSettings(Path dir) {
    return Map.of("STORAGE_STORAGE_BACKEND", "filesystem");
  }
}
