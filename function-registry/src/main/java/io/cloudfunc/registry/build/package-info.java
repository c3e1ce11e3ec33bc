/**
 * Dependency builds: the archives of what a deploy's dependencies installed, stored by the container-manager that
 * built them ({@code PUT /internal/dependency-builds/{digest}}), read by the managers that run the versions using
 * them, and named by those versions. Built once per digest, reused by every deploy with the same dependency set.
 */
package io.cloudfunc.registry.build;
