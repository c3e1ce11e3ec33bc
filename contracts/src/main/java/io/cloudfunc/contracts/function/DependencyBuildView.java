package io.cloudfunc.contracts.function;

import java.time.Instant;

/**
 * A dependency build as the registry stores it ({@code GET /internal/dependency-builds/{digest}}): its output is an
 * archive of what the tool installed, kept for as long as a version uses it, and reused by every deploy of the same
 * dependency set on the same runtime image.
 *
 * @param digest    the build's key
 * @param runtime   {@code python} or {@code node}
 * @param size      the archive's size in bytes
 * @param sha256    the archive's SHA-256
 * @param buildMs   how long the build took
 * @param createdAt when it was stored
 */
public record DependencyBuildView(String digest, String runtime, long size, String sha256, long buildMs,
                                  Instant createdAt) {
}
