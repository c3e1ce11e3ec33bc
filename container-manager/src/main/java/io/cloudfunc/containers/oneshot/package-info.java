/**
 * Functions whose image speaks the stdin/stdout contract (seed 004): one container per call, created, fed the event
 * on stdin, read from stdout and removed. Always a cold start; nothing is pooled.
 */
package io.cloudfunc.containers.oneshot;
