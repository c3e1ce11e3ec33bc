/**
 * Images for functions of runtime {@code image}: which protocol an image speaks (its {@code io.cloudfunc.protocol}
 * label), the images the engine has, and loading {@code docker save} archives ({@code /internal/images}).
 */
package io.cloudfunc.containers.images;
