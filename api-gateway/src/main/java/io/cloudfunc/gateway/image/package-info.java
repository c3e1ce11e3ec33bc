/** {@code /images}: uploading {@code docker save} archives to the container-managers, and listing their images. */
package io.cloudfunc.gateway.image;
