/**
 * Invocation records: written only from {@code InvocationRecords} messages ({@link
 * io.cloudfunc.registry.invocation.RecordsListener}, {@link io.cloudfunc.registry.invocation.InvocationRecordWriter}:
 * created QUEUED for the scheduler, started, retried and completed for the container-manager), read by anyone over
 * HTTP. Records name their function rather than referencing it, so history outlives a deleted function.
 */
package io.cloudfunc.registry.invocation;
