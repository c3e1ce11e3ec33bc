/** What the gateway and the container-manager both check on an image upload. */
package io.cloudfunc.support.image;
