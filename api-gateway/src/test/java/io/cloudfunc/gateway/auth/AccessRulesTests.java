package io.cloudfunc.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.auth.ApiKeyRole;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessRulesTests {

    @ParameterizedTest
    @CsvSource({
            "GET, /actuator/health, PUBLIC",
            "GET, /actuator/health/liveness, PUBLIC",
            "GET, /health, PUBLIC",
            "GET, /health/x, DEVELOPER",
            "GET, /healthz, DEVELOPER",
            "GET, /stats/functions/hello, DEVELOPER",
            "GET, /v3/api-docs, PUBLIC",
            "GET, /swagger-ui.html, PUBLIC",
            "GET, /swagger-ui/index.html, PUBLIC",
            "GET, /actuator/prometheus, DEVELOPER",
            "POST, /functions/hello/invoke, INVOKER",
            "POST, /functions/hello:prod/invoke, INVOKER",
            "POST, /invoke/hello, INVOKER",
            "GET, /fn/hello, INVOKER",
            "DELETE, /fn/hello:prod/orders/7, INVOKER",
            "PATCH, /fn/hello/a/b/c, INVOKER",
            "GET, /fn, DEVELOPER",
            "POST, /invoke/hello/x, DEVELOPER",
            "GET, /invoke/hello, DEVELOPER",
            "GET, /invocations/0b6f3c8e-2f0e-4f5b-9d7c-1a2b3c4d5e6f, INVOKER",
            "GET, /invocations/0b6f3c8e-2f0e-4f5b-9d7c-1a2b3c4d5e6f/logs, INVOKER",
            "GET, /functions/hello/invocations, INVOKER",
            "GET, /keys/current, INVOKER",
            "POST, /functions, DEVELOPER",
            "GET, /functions, DEVELOPER",
            "GET, /functions/hello, DEVELOPER",
            "DELETE, /functions/hello, DEVELOPER",
            "DELETE, /invocations/0b6f3c8e-2f0e-4f5b-9d7c-1a2b3c4d5e6f, DEVELOPER",
            "GET, /functions/hello/invoke, DEVELOPER",
            "GET, /, DEVELOPER",
            "GET, /keys, ADMIN",
            "POST, /keys, ADMIN",
            "DELETE, /keys/current, ADMIN",
            "DELETE, /keys/0b6f3c8e-2f0e-4f5b-9d7c-1a2b3c4d5e6f, ADMIN",
            "POST, /nodes/node-a/drain, ADMIN",
            "GET, /nodes, DEVELOPER",
            "GET, //keys, ADMIN",
            "GET, /keys;x=1, ADMIN",
            "GET, /KEYS, ADMIN",
            "GET, /%6Beys, ADMIN",
            "GET, /keys/current/x, ADMIN",
            "GET, /actuator;x/health, PUBLIC",
            "GET, /actuatorx/health, DEVELOPER",
            "POST, /functions/a/b/invoke, DEVELOPER",
            "POST, /functions/hello:3/invoke, INVOKER",
            "PUT, /functions/hello, DEVELOPER",
            "GET, /functions/hello/versions, DEVELOPER",
            "GET, /functions/hello/aliases, DEVELOPER",
            "GET, /functions/hello/aliases/prod, DEVELOPER",
            "PUT, /functions/hello/aliases/prod, DEVELOPER",
            "DELETE, /functions/hello/aliases/prod, DEVELOPER",
            "GET, /stats, DEVELOPER",
            "GET, /functions/hello/stats, DEVELOPER",
            "GET, /instances, DEVELOPER",
            "DELETE, /instances/3f9c0a1b2c3d, DEVELOPER",
            "GET, /functions/hello/logs, DEVELOPER",
            "GET, /dead-letters, DEVELOPER",
            "GET, /v3/api-docs/swagger-config, PUBLIC",
            "GET, /dashboard, PUBLIC",
            "GET, /dashboard/app.js, PUBLIC",
            "GET, /dashboardx, DEVELOPER",
            "POST, /v3x/api-docs, DEVELOPER"})
    void requiresTheRoleOfEachPath(String method, String path, String expected) {
        Optional<ApiKeyRole> required = AccessRules.required(method, path);
        assertThat(required.map(Enum::name).orElse("PUBLIC")).isEqualTo(expected);
    }
}
