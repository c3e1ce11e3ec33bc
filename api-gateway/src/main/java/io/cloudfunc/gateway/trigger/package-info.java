/** {@code /functions/{name}/triggers}: queue triggers, relayed to the function-registry which stores them. */
package io.cloudfunc.gateway.trigger;
