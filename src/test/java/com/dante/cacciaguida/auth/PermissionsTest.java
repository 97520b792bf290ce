package com.dante.cacciaguida.auth;

import com.dante.cacciaguida.storage.StorageError;
import com.dante.cacciaguida.storage.StorageException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Scope grammar <action>:<bucket>")
class PermissionsTest {

  @Test
  @DisplayName("An entry grants its action on its bucket only")
  void entryGrantsItsActionOnItsBucket() {
    Permissions p = Permissions.parse("read:datasets  write:models");
    assertTrue(p.allows(Action.READ, "datasets"));
    assertTrue(p.allows(Action.WRITE, "models"));
    assertFalse(p.allows(Action.WRITE, "datasets"));
    assertFalse(p.allows(Action.READ, "models"));
    assertFalse(p.allows(Action.READ, "datasets-2"));
  }

  @Test
  @DisplayName("Bucket * covers every bucket; admin implies every action")
  void wildcardAndAdmin() {
    Permissions p = Permissions.parse("list:* admin:datasets");
    assertTrue(p.allows(Action.LIST, "anything"));
    assertFalse(p.allows(Action.READ, "anything"));
    for (Action action : Action.values()) {
      assertTrue(p.allows(action, "datasets"), action.name());
    }
    assertTrue(Permissions.parse("admin:*").allows(Action.DELETE, "x"));
  }

  @Test
  @DisplayName("Malformed entries, unknown actions and empty scopes grant nothing")
  void malformedGrantsNothing() {
    for (String scope : new String[] {"", "read", "read:", ":datasets", "READ:datasets", "superuser:*",
        "openid profile"}) {
      Permissions p = Permissions.parse(scope);
      for (Action action : Action.values()) {
        assertFalse(p.allows(action, "datasets"), scope + " " + action);
      }
    }
    assertFalse(Permissions.parse(null).allows(Action.READ, "datasets"));
  }

  @Test
  @DisplayName("Presigning needs presign plus read (GET) or write (PUT); lacking either is AccessDenied")
  void presignNeedsMethodPermission() {
    assertEquals(List.of(Action.PRESIGN, Action.READ), Permissions.neededToPresign("GET"));
    assertEquals(List.of(Action.PRESIGN, Action.WRITE), Permissions.neededToPresign("put"));
    Permissions p = Permissions.parse("presign:datasets read:datasets");
    p.check("datasets", Permissions.neededToPresign("GET"));
    StorageException denied = assertThrows(StorageException.class,
        () -> p.check("datasets", Permissions.neededToPresign("PUT")));
    assertEquals(StorageError.AccessDenied, denied.error());
  }
}
