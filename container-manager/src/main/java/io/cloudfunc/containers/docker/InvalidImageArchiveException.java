package io.cloudfunc.containers.docker;

/** The engine could not load an archive as images: it is not a {@code docker save} tar, or it is corrupt. */
public class InvalidImageArchiveException extends ContainerEngineException {

    public InvalidImageArchiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
