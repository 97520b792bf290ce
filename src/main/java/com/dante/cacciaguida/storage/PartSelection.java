package com.dante.cacciaguida.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which uploaded parts a completion assembles, judged the way S3 judges CompleteMultipartUpload, before anything
 * is written so that a refused completion leaves the upload as it was: named parts must exist with the ETag the
 * client names ({@code InvalidPart}), come in ascending order ({@code InvalidPartOrder}), and all but the last
 * be at least {@link MultipartStorage#MIN_PART_SIZE} ({@code EntityTooSmall}).
 */
public final class PartSelection {

  private PartSelection() {
  }

  /**
   * @param uploaded  the parts the upload holds
   * @param requested the parts named by the client, or null for all of them in order
   */
  public static List<Part> select(List<Part> uploaded, List<PartRef> requested) {
    Map<Integer, Part> byNumber = new TreeMap<>();
    uploaded.forEach(p -> byNumber.put(p.number(), p));
    List<Part> selected = new ArrayList<>();
    if (requested == null) {
      selected.addAll(byNumber.values());
    } else {
      int previous = 0;
      for (PartRef ref : requested) {
        if (ref.number() <= previous) {
          throw StorageError.InvalidPartOrder.exception("The list of parts was not in ascending order");
        }
        previous = ref.number();
        Part part = byNumber.get(ref.number());
        if (part == null || !unquoted(part.etag()).equals(unquoted(ref.etag()))) {
          throw StorageError.InvalidPart.exception("Part " + ref.number()
              + (part == null ? " was not uploaded" : " has another ETag than " + ref.etag()));
        }
        selected.add(part);
      }
    }
    if (selected.isEmpty()) {
      throw StorageError.InvalidPart.exception("The upload has no parts to complete");
    }
    for (int i = 0; i < selected.size() - 1; i++) {
      if (selected.get(i).size() < MultipartStorage.MIN_PART_SIZE) {
        throw StorageError.EntityTooSmall.exception("Part " + selected.get(i).number() + " has "
            + selected.get(i).size() + " bytes; every part but the last must have at least "
            + MultipartStorage.MIN_PART_SIZE);
      }
    }
    return selected;
  }

  private static String unquoted(String etag) {
    String e = etag == null ? "" : etag.trim();
    return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
  }
}
