/**
 * The function-registry's internal API as the manager uses it: function versions (cached for ever, versions are
 * immutable), code archives, and invocation records (RUNNING, then the final state).
 */
package io.cloudfunc.containers.registry;
