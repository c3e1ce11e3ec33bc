/** The scheduler's client of the function-registry's internal REST API. */
package io.cloudfunc.scheduler.registry;
