package io.cloudfunc.containers.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.cloudfunc.containers.ContainerManagerProperties;
import io.cloudfunc.containers.docker.ContainerEngine;
import io.cloudfunc.containers.docker.ContainerSpec;
import io.cloudfunc.contracts.function.FunctionVersionView;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ContainerIsolationTests {

    private final ContainerEngine engine = mock(ContainerEngine.class);
    private final ContainerIsolation isolation = new ContainerIsolation(engine,
            new ContainerManagerProperties.Isolation(null, null), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));

    @BeforeEach
    void engineHasRunc() {
        when(engine.ociRuntimes()).thenReturn(Set.of("runc", "io.containerd.runc.v2"));
    }

    @Test
    void defaultFunctionGetsNoNetworkAndThePlatformRuntime() throws Exception {
        ContainerIsolation.Settings settings = isolation.settingsFor(function("none", null));

        assertThat(settings).isEqualTo(new ContainerIsolation.Settings(ContainerSpec.NO_NETWORK, "runc"));
        verify(engine, never()).ensureIsolatedNetwork(anyString());
    }

    @Test
    void outboundFunctionJoinsTheIsolatedNetworkWhichIsSetUpOnce() throws Exception {
        ContainerIsolation.Settings first = isolation.settingsFor(function("outbound", null));
        isolation.settingsFor(function("outbound", null));

        assertThat(first.network()).isEqualTo("cloudfunc-outbound");
        verify(engine, times(1)).ensureIsolatedNetwork("cloudfunc-outbound");
    }

    @Test
    void runtimeTheEngineLacksFailsNamingTheInstalledOnes() {
        assertThatThrownBy(() -> isolation.settingsFor(function("none", "runsc")))
                .isInstanceOf(IsolationUnavailableException.class)
                .hasMessage("the OCI runtime 'runsc' is not installed on this node's Docker engine (installed:"
                        + " io.containerd.runc.v2, runc)")
                .extracting(e -> ((IsolationUnavailableException) e).type()).isEqualTo("OciRuntimeUnavailable");
    }

    @Test
    void installedRuntimesAreReadOnceForKnownNames() throws Exception {
        isolation.settingsFor(function("none", "runc"));
        isolation.settingsFor(function("none", null));
        isolation.settingsFor(function("none", "io.containerd.runc.v2"));

        verify(engine, times(1)).ociRuntimes();
    }

    private static FunctionVersionView function(String network, String ociRuntime) {
        return new FunctionVersionView("f", 1, "python", "function.handler", 1_000, 128, 60_000, Map.of(), 0, 10, 1,
                network, ociRuntime, null, 0, 1000L, "sha", 1, Instant.EPOCH, java.util.List.of());
    }
}
