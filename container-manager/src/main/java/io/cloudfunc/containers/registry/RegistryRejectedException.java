package io.cloudfunc.containers.registry;

/** The registry refused a request (4xx): trying again will not help. */
public class RegistryRejectedException extends RuntimeException {

    public RegistryRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
