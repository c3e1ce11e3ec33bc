/**
 * API keys: roles, the key records of the {@code /keys} API, and the internal header carrying the caller's key id.
 */
package io.cloudfunc.contracts.auth;
