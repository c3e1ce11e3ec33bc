package io.cloudfunc.containers.docker;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What the container-manager needs from a container engine, and nothing more. */
public interface ContainerEngine {

    /** Creates (does not start) a container; returns its id. */
    String create(ContainerSpec spec);

    void start(String containerId);

    /**
     * Changes a running container's memory limit (and memory+swap, the same: no swap) and CPU limit (thousandths of
     * a CPU), as {@link ContainerSpec} has them.
     */
    void updateLimits(String containerId, long memoryBytes, long cpuMillis);

    /** Renames a container (what {@code docker ps} shows); its labels cannot change. */
    void rename(String containerId, String name);

    /** Kills and removes a container; a container that is already gone is not an error. */
    void remove(String containerId);

    /** Containers (running or not) carrying all the given labels. */
    List<ContainerSummary> list(Map<String, String> labels);

    /** The full id of the container of that name or (short) id, empty when there is none. */
    Optional<String> containerId(String nameOrId);

    /**
     * Stops a container as {@code docker stop} does (SIGTERM, SIGKILL after {@code timeout}); a container stopped so
     * is not started again by its {@code unless-stopped} restart policy. One already stopped or gone is no error.
     */
    void stop(String containerId, Duration timeout);

    /** State of a container, empty when it does not exist (any more). */
    Optional<ContainerStatus> inspect(String containerId);

    /**
     * The last {@code lines} lines a container wrote to stdout and stderr (what Docker's log kept), empty when it
     * has none or is gone. For diagnostics only: a runtime that died before it could answer says why there.
     */
    String logTail(String containerId, int lines);

    /** Names of the OCI runtimes the engine can run containers with ({@code docker info}'s Runtimes). */
    Set<String> ociRuntimes();

    /**
     * Makes sure a bridge network of that name exists on which containers cannot reach each other (inter-container
     * communication disabled), creating it when missing.
     *
     * @throws ContainerEngineException it cannot be created, or one of that name exists that lets containers talk
     */
    void ensureIsolatedNetwork(String name);

    /**
     * Makes sure a bridge network of that name exists (containers on it reach each other and, through the host's
     * NAT, the outside), creating it when missing: the network of dependency builds.
     *
     * @throws ContainerEngineException it cannot be created
     */
    void ensureNetwork(String name);

    /** Fails when the engine does not answer. */
    void ping();

    /**
     * Creates (does not start) a container whose standard input stays open until one client has attached, written
     * and closed it ({@code docker run -i}); the {@code bindSource} of the spec may be null (no mount). Returns its id.
     */
    String createWithStdin(ContainerSpec spec);

    /**
     * Attaches to a container made by {@link #createWithStdin}, starts it, writes {@code stdin} and closes it, and
     * collects its output until it exits or {@code timeout} has passed (it is then killed). Output past the caps is
     * dropped, not buffered.
     */
    AttachedRun runAttached(String containerId, byte[] stdin, int maxStdout, int maxStderr, Duration timeout);

    /** An image by reference ({@code name:tag}, id), empty when the engine does not have it. */
    Optional<ImageSummary> inspectImage(String reference);

    /** Every image of the engine that has at least one tag. */
    List<ImageSummary> listImages();

    /**
     * Loads a {@code docker save} archive (tar, possibly compressed) read from {@code archive} to its end.
     *
     * @return what the engine says it loaded, e.g. {@code myorg/resize:1.0} (or an image id when untagged)
     * @throws InvalidImageArchiveException the engine could not read the archive
     */
    List<String> loadImages(InputStream archive);

    /** A container as listed: id, labels and Docker's state word (running, exited, ...). */
    record ContainerSummary(String id, Map<String, String> labels, String state) {
    }

    /** A container's state: whether it runs, and if not how it ended. */
    record ContainerStatus(String id, boolean running, Integer exitCode, boolean oomKilled, String error) {
    }

    /**
     * How a {@link #runAttached} run ended.
     *
     * @param timedOut       it ran past the timeout and was killed
     * @param exitCode       its exit code (null when it timed out or vanished)
     * @param oomKilled      the kernel killed it for exceeding its memory limit
     * @param stdout         what it wrote to standard output, up to the cap
     * @param stdoutOverflow it wrote more than the cap
     * @param stderr         what it wrote to standard error, up to the cap
     * @param stderrOverflow it wrote more than the cap
     */
    record AttachedRun(boolean timedOut, Integer exitCode, boolean oomKilled, byte[] stdout, boolean stdoutOverflow,
                       byte[] stderr, boolean stderrOverflow) {
    }

    /**
     * An image as the engine has it.
     *
     * @param id      its id ({@code sha256:...})
     * @param tags    its repository tags ({@code name:tag})
     * @param size    bytes on disk
     * @param created when it was built
     * @param labels  its labels ({@code LABEL} in the Dockerfile)
     * @param user    the user it runs as ({@code USER}), empty for root
     */
    record ImageSummary(String id, List<String> tags, long size, Instant created, Map<String, String> labels,
                        String user) {
    }
}
