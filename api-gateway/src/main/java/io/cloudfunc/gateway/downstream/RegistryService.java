package io.cloudfunc.gateway.downstream;

import io.cloudfunc.gateway.GatewayProperties;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;

/** The function-registry's internal API (management calls and invocation records). */
public class RegistryService extends DownstreamService {

    RegistryService(GatewayProperties properties, CloseableHttpClient http) {
        super("function-registry", properties.registryUrl().toString(), http, properties.registryTimeout());
    }
}
