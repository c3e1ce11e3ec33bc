/** Placement of calls on container-manager nodes: pure decisions, no I/O. */
package io.cloudfunc.scheduler.placement;
