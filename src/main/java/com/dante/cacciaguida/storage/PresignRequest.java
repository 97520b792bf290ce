package com.dante.cacciaguida.storage;

import java.time.Duration;

/**
 * @param method  GET or PUT
 * @param expiry  how long the URL stays valid (already capped at {@code presign.maxExpiry})
 * @param baseUrl {@code scheme://host:port} the caller reaches this service at (for URLs of this service)
 */
public record PresignRequest(String method, Duration expiry, String baseUrl) {
}
