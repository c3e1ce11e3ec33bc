package io.cloudfunc.containers.docker;

/** The container engine refused or failed an operation. */
public class ContainerEngineException extends RuntimeException {

    public ContainerEngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
