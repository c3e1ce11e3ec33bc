package io.cloudfunc.containers.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Which replica of its compose service a container is: the number compose gives each container of a scaled service
 * ({@code docker compose up --scale container-manager=3}: 1, 2, 3), kept when compose re-creates the container.
 */
public final class ComposeReplicas {

    /** The label compose puts the replica number in. */
    public static final String NUMBER_LABEL = "com.docker.compose.container-number";

    private ComposeReplicas() {
    }

    /**
     * The replica number of the container {@code container} (its id, or the short id Docker makes its host name),
     * asked of the engine at {@code dockerHost} with a client of its own: this runs before the application's beans.
     *
     * @throws IllegalStateException when the engine does not answer, does not know the container, or the container
     *                               has no replica number (it was not started by compose)
     */
    public static int number(String dockerHost, String container) {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost)
                .build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(URI.create(dockerHost))
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofSeconds(30))
                .build();
        Map<String, String> labels;
        try (DockerClient docker = DockerClientImpl.getInstance(config, http)) {
            labels = docker.inspectContainerCmd(container).exec().getConfig().getLabels();
        } catch (NotFoundException e) {
            throw new IllegalStateException("the Docker engine at " + dockerHost + " has no container " + container
                    + " (this manager's host name, which must be its container id: no `hostname:` in compose)", e);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("could not ask the Docker engine at " + dockerHost + " for container "
                    + container + "'s compose replica number: " + e.getMessage(), e);
        }
        String number = labels != null ? labels.get(NUMBER_LABEL) : null;
        if (number == null) {
            throw new IllegalStateException("container " + container + " has no label " + NUMBER_LABEL
                    + ": it was not started by docker compose");
        }
        return Integer.parseInt(number);
    }
}
