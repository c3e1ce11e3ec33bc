/** {@code /instances}: the warm containers of every container-manager, and stopping one. */
package io.cloudfunc.gateway.instance;
