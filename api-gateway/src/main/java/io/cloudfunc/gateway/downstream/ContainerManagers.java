package io.cloudfunc.gateway.downstream;

import io.cloudfunc.contracts.messaging.NodeAnnouncement;
import io.cloudfunc.gateway.GatewayProperties;
import io.cloudfunc.support.nodes.NodeDirectory;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;

/**
 * The container-managers' internal API ({@code /internal/images}, {@code /internal/instances}...), one
 * {@link DownstreamService} per live node at the URL it announces ({@code cloudfunc.nodes}): each runs functions on
 * its own Docker engine, so an image must be on each of them. Until a node has been heard (the gateway's first
 * second), the configured {@code gateway.container-manager-urls} stand in.
 */
public class ContainerManagers {

    private final List<DownstreamService> configured;
    private final NodeDirectory nodes;
    private final CloseableHttpClient http;
    private final Duration timeout;
    private final Map<String, DownstreamService> byNodeAndUrl = new ConcurrentHashMap<>();

    ContainerManagers(GatewayProperties properties, CloseableHttpClient http, NodeDirectory nodes) {
        List<URI> urls = properties.containerManagerUrls();
        this.configured = urls.stream()
                .map(url -> new DownstreamService(urls.size() == 1 ? "container-manager" : "container-manager "
                        + url.getAuthority(), url.toString(), http, properties.imageTimeout()))
                .toList();
        this.nodes = nodes;
        this.http = http;
        this.timeout = properties.imageTimeout();
    }

    /**
     * Every live node but the drained ones (they hold no containers and run nothing); the configured URLs while no
     * node has been heard.
     */
    public List<DownstreamService> all() {
        List<NodeAnnouncement> heard = nodes.live();
        if (heard.isEmpty()) {
            return configured;
        }
        List<NodeAnnouncement> live = heard.stream()
                .filter(node -> node.url() != null && !NodeAnnouncement.DRAINED.equals(node.state()))
                .toList();
        return live.stream().map(node -> service(node, live.size() == 1)).toList();
    }

    /** The live node by that id. */
    public Optional<DownstreamService> node(String nodeId) {
        return nodes.live(nodeId).filter(node -> node.url() != null).map(node -> service(node, false));
    }

    private DownstreamService service(NodeAnnouncement node, boolean only) {
        String name = only ? "container-manager" : "container-manager " + node.nodeId();
        return byNodeAndUrl.computeIfAbsent(name + ' ' + node.url(),
                key -> new DownstreamService(name, node.url().toString(), http, timeout));
    }
}
