package io.cloudfunc.registry.function;

/** A version's code archive and its SHA-256 (lowercase hex). */
record VersionCode(byte[] zip, String sha256) {
}
