/**
 * The internal instances API: list this manager's containers and stop an idle one. The gateway's
 * {@code /instances} asks every configured container-manager.
 */
package io.cloudfunc.containers.instance;
