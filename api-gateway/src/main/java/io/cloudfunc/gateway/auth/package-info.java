/**
 * Authentication, authorization and rate limits: the API key filter in front of every endpoint but the public ones,
 * the rules saying which role each path needs, the cache of verified keys, per-key token buckets, and the
 * {@code /keys} API.
 */
package io.cloudfunc.gateway.auth;
