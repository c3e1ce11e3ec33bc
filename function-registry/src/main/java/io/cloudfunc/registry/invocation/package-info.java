/**
 * Invocation records: created QUEUED by the scheduler, marked RUNNING and completed by the container-manager, read
 * by anyone. Records name their function rather than referencing it, so history outlives a deleted function.
 */
package io.cloudfunc.registry.invocation;
