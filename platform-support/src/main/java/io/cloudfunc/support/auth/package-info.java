/** API key secrets shared by the registry (which stores their hashes) and the gateway (which verifies them). */
package io.cloudfunc.support.auth;
