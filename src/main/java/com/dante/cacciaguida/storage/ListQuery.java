package com.dante.cacciaguida.storage;

/**
 * One page of a listing.
 *
 * @param prefix     keys starting with this ("" for all)
 * @param recursive  false: keys deeper than the next {@code /} fold into common prefixes
 * @param startAfter only keys (and common prefixes) sorting after this, or null
 * @param maxKeys    at most this many entries (1–1001; the HTTP layer asks one more to learn truncation)
 */
public record ListQuery(String prefix, boolean recursive, String startAfter, int maxKeys) {

  public static final int MAX_PAGE = 1000;

  public ListQuery {
    prefix = prefix == null ? "" : prefix;
    if (maxKeys < 1 || maxKeys > MAX_PAGE + 1) {
      throw new IllegalArgumentException("maxKeys " + maxKeys);
    }
  }

  /** True when {@code key} sorts after {@code startAfter} (always when there is none). */
  public boolean after(String key) {
    return startAfter == null || ObjectNames.KEY_ORDER.compare(key, startAfter) > 0;
  }
}
