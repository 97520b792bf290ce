package com.dante.cacciaguida.auth;

import com.dante.cacciaguida.storage.StorageError;

import java.util.ArrayList;
import java.util.List;

/**
 * What a caller may do, read from a scope (API.md 8): space-separated entries {@code <action>:<bucket>}, bucket
 * {@code *} for every bucket, {@code admin} implying every action on its bucket. Entries that do not parse grant
 * nothing. The one place where HTTP requests and event-bus calls are judged.
 */
public final class Permissions {

  private static final String ANY_BUCKET = "*";

  private record Grant(Action action, String bucket) {
    boolean covers(Action wanted, String wantedBucket) {
      return (action == wanted || action == Action.ADMIN)
          && (bucket.equals(ANY_BUCKET) || bucket.equals(wantedBucket));
    }
  }

  private final List<Grant> grants;

  private Permissions(List<Grant> grants) {
    this.grants = grants;
  }

  public static Permissions parse(String scope) {
    List<Grant> grants = new ArrayList<>();
    if (scope != null) {
      for (String entry : scope.trim().split("\\s+")) {
        int colon = entry.indexOf(':');
        Action action = colon > 0 ? Action.fromScopeName(entry.substring(0, colon)) : null;
        if (action != null && colon < entry.length() - 1) {
          grants.add(new Grant(action, entry.substring(colon + 1)));
        }
      }
    }
    return new Permissions(List.copyOf(grants));
  }

  public boolean allows(Action action, String bucket) {
    for (Grant grant : grants) {
      if (grant.covers(action, bucket)) {
        return true;
      }
    }
    return false;
  }

  /** Fails with {@code 403 AccessDenied} unless every one of {@code actions} is allowed on {@code bucket}. */
  public void check(String bucket, List<Action> actions) {
    for (Action action : actions) {
      if (!allows(action, bucket)) {
        throw StorageError.AccessDenied.exception("The credentials do not grant " + action.scopeName() + ":"
            + bucket);
      }
    }
  }

  /** The permissions creating a presigned URL for {@code method} takes: presign, plus what the URL allows. */
  public static List<Action> neededToPresign(String method) {
    Action use = Action.ofPresignedMethod(method);
    return use == null ? List.of(Action.PRESIGN) : List.of(Action.PRESIGN, use);
  }
}
