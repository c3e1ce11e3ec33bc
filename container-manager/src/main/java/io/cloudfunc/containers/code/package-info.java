/**
 * Function code on the manager's disk: each archive is downloaded once, checked against its SHA-256, unpacked under
 * {@code containers.code-cache/<sha256>/} and then hard-linked (or copied) into each new container's directory.
 */
package io.cloudfunc.containers.code;
