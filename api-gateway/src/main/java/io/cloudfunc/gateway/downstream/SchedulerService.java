package io.cloudfunc.gateway.downstream;

import io.cloudfunc.gateway.GatewayProperties;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;

/** The scheduler's internal invoke endpoint. */
public class SchedulerService extends DownstreamService {

    SchedulerService(GatewayProperties properties, CloseableHttpClient http) {
        super("scheduler", properties.schedulerUrl().toString(), http, properties.invokeTimeout());
    }
}
