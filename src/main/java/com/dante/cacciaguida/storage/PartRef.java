package com.dante.cacciaguida.storage;

/**
 * A part named by a completion request: its number and the ETag the client got for it.
 *
 * @param number the part number
 * @param etag   the ETag, quoted or not
 */
public record PartRef(int number, String etag) {
}
