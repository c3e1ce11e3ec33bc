package io.cloudfunc.containers.pool;

import io.cloudfunc.containers.DirectoryTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-container directories under the socket root, bind-mounted at {@code /cloudfunc}. A directory is handed
 * to the runtime user only while its runtime starts (to create its socket), and taken back before the function's
 * code is loaded: user code can then write nowhere but the size-capped {@code /tmp}.
 */
final class ContainerDirectories {

    private static final Logger log = LoggerFactory.getLogger(ContainerDirectories.class);

    private final Path root;
    private final int runtimeUid;
    /** False once chown failed (manager not running as root): directories are then opened by mode instead. */
    private volatile boolean canChown = true;

    ContainerDirectories(Path root, int runtimeUid) {
        this.root = root;
        this.runtimeUid = runtimeUid;
        try {
            if (!Files.isDirectory(root)) {
                Files.createDirectories(root);
                Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the socket root " + root, e);
        }
    }

    Path root() {
        return root;
    }

    Path of(String key) {
        return root.resolve(key);
    }

    /** Creates the directory of a container, private to the manager. */
    Path create(String key) throws IOException {
        Path directory = Files.createDirectory(of(key));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        return directory;
    }

    /** Lets the runtime user create its socket in the directory. */
    void handToRuntime(Path directory) throws IOException {
        if (canChown) {
            try {
                Files.setAttribute(directory, "unix:uid", runtimeUid);
                Files.setAttribute(directory, "unix:gid", runtimeUid);
                return;
            } catch (IOException | UnsupportedOperationException e) {
                canChown = false;
                log.warn("Cannot chown container directories to uid {} ({}): the manager should run as root."
                        + " Falling back to world-writable directories while runtimes start", runtimeUid, e.toString());
            }
        }
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    /**
     * Takes write access back once the runtime listens: the directory becomes read-only for the function. The mode
     * opens to others first and the owner changes after: the other order leaves a moment in which the directory is
     * root's and {@code rwx------}, and a runtime still finishing its start (a chmod of its socket, the JVM's is
     * slow to get there) is refused its own {@code /cloudfunc} and exits.
     */
    void takeBack(Path directory) throws IOException {
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (canChown) {
            Files.setAttribute(directory, "unix:uid", 0);
            Files.setAttribute(directory, "unix:gid", 0);
        }
    }

    /** Deletes a container's directory and everything in it; logs, never throws. */
    void delete(Path directory) {
        DirectoryTrees.delete(directory);
    }
}
