package com.dante.cacciaguida.storage.fs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ObjectHeaderTest {

  @Test
  void encodedHeaderDecodesToTheSameFields() throws IOException {
    ObjectHeader header = new ObjectHeader("a/b c}\"é", 42, "text/plain; charset=utf-8", "\"etag\"",
        "ab".repeat(32), 1_700_000_000_123L);
    byte[] bytes = header.encode().array();
    assertEquals(ObjectHeader.SIZE, bytes.length);
    assertEquals(header, ObjectHeader.decode(bytes));
  }

  @Test
  void absentOptionalFieldsStayNull() throws IOException {
    ObjectHeader header = new ObjectHeader("k", 0, null, null, null, 5);
    assertEquals(header, ObjectHeader.decode(header.encode().array()));
  }

  @Test
  void unknownFieldsAreSkipped() throws IOException {
    ObjectHeader decoded = ObjectHeader.decode(padded(
        "{\"v\":2,\"future\":{\"x\":[1,2]},\"key\":\"k\",\"size\":3,\"lastModified\":9}"));
    assertEquals(new ObjectHeader("k", 3, null, null, null, 9), decoded);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",                                                      // all padding (a zeroed or truncated file)
      "[1]",
      "{\"key\":\"k\",\"size\":3}",                             // no lastModified
      "{\"size\":3,\"lastModified\":9}",                        // no key
      "{\"key\":1,\"size\":3,\"lastModified\":9}",              // key not a string
      "{\"key\":\"k\",\"size\":\"3\",\"lastModified\":9}",      // size not a number
      "{\"key\":\"k\",\"size\":3,\"lastModified\":9",           // unterminated
      "{\"key\":\"k\",\"size\":3.5,\"lastModified\":9}"})       // size not an integer
  void corruptHeadersAreRefused(String json) {
    IOException error = assertThrows(IOException.class, () -> ObjectHeader.decode(padded(json)));
    assertEquals("Corrupt object header", error.getMessage());
  }

  @Test
  void zeroedHeaderIsRefused() {
    assertThrows(IOException.class, () -> ObjectHeader.decode(new byte[ObjectHeader.SIZE]));
  }

  @Test
  void paddingIsSpaces() {
    byte[] bytes = new ObjectHeader("k", 1, null, null, null, 1).encode().array();
    int end = new String(bytes, StandardCharsets.UTF_8).indexOf('}') + 1;
    byte[] spaces = new byte[ObjectHeader.SIZE - end];
    Arrays.fill(spaces, (byte) ' ');
    assertArrayEquals(spaces, Arrays.copyOfRange(bytes, end, ObjectHeader.SIZE));
  }

  private static byte[] padded(String json) {
    byte[] bytes = Arrays.copyOf(json.getBytes(StandardCharsets.UTF_8), ObjectHeader.SIZE);
    Arrays.fill(bytes, json.getBytes(StandardCharsets.UTF_8).length, ObjectHeader.SIZE, (byte) ' ');
    return bytes;
  }
}
