package io.cloudfunc.containers.node;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How this node announces itself on {@code cloudfunc.nodes} ({@code containers.announce.*}).
 *
 * @param interval how often (default 1 s); schedulers count a node out after {@code scheduler.node-timeout} (10 s)
 * @param url      base URL at which gateways reach this node's internal API ({@code /internal/instances},
 *                 {@code /internal/images}, {@code /internal/drain}...); default {@code http://<host name>:<server.port>}
 */
@Validated
@ConfigurationProperties("containers.announce")
public record AnnounceProperties(Duration interval, URI url) {

    public AnnounceProperties {
        interval = interval != null && interval.isPositive() ? interval : Duration.ofSeconds(1);
    }
}
