/** Warm containers (instances) as {@code GET /instances} lists them. */
package io.cloudfunc.contracts.instance;
