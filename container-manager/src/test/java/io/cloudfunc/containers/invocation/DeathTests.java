package io.cloudfunc.containers.invocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.containers.docker.ContainerEngine.ContainerStatus;
import io.cloudfunc.contracts.invocation.ErrorKind;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a container that died during a call is explained. */
class DeathTests {

    @Test
    void outOfMemoryIsTheFunctionsFault() {
        var death = InvocationService.Death.of(Optional.of(new ContainerStatus("c", false, 137, true, "")), 64);

        assertThat(death.kind()).isEqualTo(ErrorKind.FUNCTION);
        assertThat(death.error().type()).isEqualTo("OutOfMemoryError");
        assertThat(death.error().message()).contains("out of memory").contains("64 MB");
    }

    @Test
    void processExitIsTheFunctionsFault() {
        var death = InvocationService.Death.of(Optional.of(new ContainerStatus("c", false, 3, false, "")), 128);

        assertThat(death.kind()).isEqualTo(ErrorKind.FUNCTION);
        assertThat(death.error().message()).contains("code 3");
    }

    @Test
    void killFromOutsideOrVanishedContainerIsThePlatforms() {
        var killed = InvocationService.Death.of(Optional.of(new ContainerStatus("c", false, 137, false, "")), 128);
        var vanished = InvocationService.Death.of(Optional.empty(), 128);

        assertThat(killed.kind()).isEqualTo(ErrorKind.PLATFORM);
        assertThat(vanished.kind()).isEqualTo(ErrorKind.PLATFORM);
        assertThat(vanished.error().message()).contains("disappeared");
    }
}
