package com.dante.cacciaguida.storage;

import io.vertx.core.http.MimeMapping;

/** The content type an object gets when the uploader named none: guessed from the key's extension. */
public final class ContentTypes {

  public static final String OCTET_STREAM = "application/octet-stream";

  private ContentTypes() {
  }

  public static String guess(String key) {
    int slash = key.lastIndexOf('/');
    String name = key.substring(slash + 1);
    String type = name.indexOf('.') >= 0 ? MimeMapping.mimeTypeForFilename(name) : null;
    return type == null ? OCTET_STREAM : type;
  }
}
