/** {@code /nodes}: the container-manager nodes from their announcements, and draining one. */
package io.cloudfunc.gateway.node;
