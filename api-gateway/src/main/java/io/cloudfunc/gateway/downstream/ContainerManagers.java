package io.cloudfunc.gateway.downstream;

import io.cloudfunc.gateway.GatewayProperties;
import java.net.URI;
import java.util.List;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;

/**
 * The container-managers' internal API ({@code /internal/images}), one {@link DownstreamService} per manager: each
 * runs functions on its own Docker engine, so an image must be on each of them.
 */
public class ContainerManagers {

    private final List<DownstreamService> managers;

    ContainerManagers(GatewayProperties properties, CloseableHttpClient http) {
        List<URI> urls = properties.containerManagerUrls();
        this.managers = urls.stream()
                .map(url -> new DownstreamService(urls.size() == 1 ? "container-manager" : "container-manager "
                        + url.getAuthority(), url.toString(), http, properties.imageTimeout()))
                .toList();
    }

    public List<DownstreamService> all() {
        return managers;
    }
}
