package io.cloudfunc.containers.docker;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the container-manager needs from a container engine, and nothing more. */
public interface ContainerEngine {

    /** Creates (does not start) a container; returns its id. */
    String create(ContainerSpec spec);

    void start(String containerId);

    /** Kills and removes a container; a container that is already gone is not an error. */
    void remove(String containerId);

    /** Containers (running or not) carrying all the given labels. */
    List<ContainerSummary> list(Map<String, String> labels);

    /** State of a container, empty when it does not exist (any more). */
    Optional<ContainerStatus> inspect(String containerId);

    /** Fails when the engine does not answer. */
    void ping();

    /** A container as listed: id, labels and Docker's state word (running, exited, ...). */
    record ContainerSummary(String id, Map<String, String> labels, String state) {
    }

    /** A container's state: whether it runs, and if not how it ended. */
    record ContainerStatus(String id, boolean running, Integer exitCode, boolean oomKilled, String error) {
    }
}
