package com.dante.cacciaguida.auth;

import java.util.Locale;

/** The actions of a scope entry {@code <action>:<bucket>} (API.md 8); {@link #ADMIN} implies every other one. */
public enum Action {
  READ, WRITE, DELETE, LIST, PRESIGN, ADMIN;

  /** The action's name in a scope: {@code read}, {@code write}, … */
  public String scopeName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The action named in a scope entry, or {@code null} for a name this service does not know. */
  static Action fromScopeName(String name) {
    for (Action action : values()) {
      if (action.scopeName().equals(name)) {
        return action;
      }
    }
    return null;
  }

  /**
   * What a presigned URL for {@code method} lets its holder do: read for {@code GET}, write for {@code PUT};
   * {@code null} for any other method (the presign operation itself refuses those).
   */
  public static Action ofPresignedMethod(String method) {
    if ("GET".equalsIgnoreCase(method)) {
      return READ;
    }
    if ("PUT".equalsIgnoreCase(method)) {
      return WRITE;
    }
    return null;
  }
}
