package com.dante.cacciaguida.storage;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * A small object carried whole over the event bus: its {@link ObjectInfo} fields plus {@code data}
 * (base64url without padding, as Vert.x's JSON encodes a Buffer).
 */
@DataObject
public class InlineObject {

  private final ObjectInfo info;
  private final Buffer data;

  public InlineObject(ObjectInfo info, Buffer data) {
    this.info = info;
    this.data = data;
  }

  public InlineObject(JsonObject json) {
    this(new ObjectInfo(json), json.getBuffer("data"));
  }

  public JsonObject toJson() {
    return info.toJson().put("data", data);
  }

  public ObjectInfo getInfo() {
    return info;
  }

  public Buffer getData() {
    return data;
  }
}
