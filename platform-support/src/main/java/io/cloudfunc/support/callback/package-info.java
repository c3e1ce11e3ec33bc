/** The rule a {@code callbackUrl} of an asynchronous invocation must follow, shared by gateway and scheduler. */
package io.cloudfunc.support.callback;
