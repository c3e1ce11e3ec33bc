/**
 * API keys: their table (only secret hashes), the internal API the gateway uses to manage and verify them, and the
 * bootstrap admin key installed at startup.
 */
package io.cloudfunc.registry.apikey;
