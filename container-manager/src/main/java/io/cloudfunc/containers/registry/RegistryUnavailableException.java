package io.cloudfunc.containers.registry;

/** The registry could not be reached or failed (5xx): worth trying again later. */
public class RegistryUnavailableException extends RuntimeException {

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
