/** {@code /functions/{name}/schedules}: a function's schedules, relayed to the function-registry, which keeps them. */
package io.cloudfunc.gateway.schedule;
