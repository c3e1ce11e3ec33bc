package io.cloudfunc.gateway.health;

import io.cloudfunc.gateway.downstream.ContainerManagers;
import io.cloudfunc.gateway.downstream.DownstreamService;
import io.cloudfunc.gateway.downstream.RegistryService;
import io.cloudfunc.support.http.BufferedResponse;
import java.time.Duration;
import java.util.List;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the gateway needs to serve calls, as health indicators in its readiness group (docs/deployment.md,
 * "Health, readiness and liveness"), beside Boot's own {@code rabbit} (the broker connection):
 * <ul>
 * <li>{@code registry}: the function-registry answers its {@code /actuator/health} with 200 (its database and broker
 * up): every call's key check and every management call need it;</li>
 * <li>{@code schedulers}: at least one scheduler consumes the intake queue (RabbitMQ's consumer count): without one a
 * call is published and waits for nothing;</li>
 * <li>{@code containerManagers}: at least one container-manager answers its {@code /actuator/health} with 200: one
 * node down among several leaves the platform able to run calls.</li>
 * </ul>
 * Each check is asked when the health is read, and waits at most {@link #TIMEOUT}. None is in the liveness group: a
 * dependency that is down is no reason to restart the gateway.
 */
@Configuration(proxyBeanMethods = false)
class ReadinessChecks {

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Bean
    HealthIndicator registryHealthIndicator(RegistryService registry) {
        return () -> check(registry);
    }

    @Bean
    HealthIndicator schedulersHealthIndicator(RabbitTemplate rabbit) {
        return new IntakeConsumers(rabbit);
    }

    @Bean
    HealthIndicator containerManagersHealthIndicator(ContainerManagers managers) {
        return () -> {
            List<DownstreamService> all = managers.all();
            long up = all.stream().map(ReadinessChecks::check).filter(h -> Status.UP.equals(h.getStatus())).count();
            Health.Builder health = up > 0 ? Health.up() : Health.down();
            return health.withDetail("up", up).withDetail("configured", all.size()).build();
        };
    }

    /** UP when {@code service} answers {@code GET /actuator/health} with 200 within {@link #TIMEOUT}. */
    static Health check(DownstreamService service) {
        try {
            BufferedResponse response = service.get("/actuator/health", TIMEOUT);
            return response.status() == 200 ? Health.up().build()
                    : Health.down().withDetail("status", response.status()).build();
        } catch (RuntimeException e) {
            return Health.down().withDetail("error", "unreachable or no answer within " + TIMEOUT.toSeconds() + " s")
                    .build();
        }
    }
}
