package io.cloudfunc.contracts.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ResourceQuantitiesTests {

    @Test
    void readsCpuAsThousandthsOrAsCpus() {
        assertThat(ResourceQuantities.cpuMillis("100m")).isEqualTo(100);
        assertThat(ResourceQuantities.cpuMillis("0.5")).isEqualTo(500);
        assertThat(ResourceQuantities.cpuMillis(".25")).isEqualTo(250);
        assertThat(ResourceQuantities.cpuMillis("2")).isEqualTo(2000);
        assertThat(ResourceQuantities.cpuMillis("1.500")).isEqualTo(1500);
        assertThat(ResourceQuantities.cpuMillis(" 1500m ")).isEqualTo(1500);
    }

    @Test
    void refusesCpuThatIsNotAWholeNumberOfThousandthsOrNotAQuantity() {
        assertThatThrownBy(() -> ResourceQuantities.cpuMillis("0.0005")).hasMessageContaining("whole thousandths");
        assertThatThrownBy(() -> ResourceQuantities.cpuMillis("0.5m")).hasMessageContaining("whole thousandths");
        assertThatThrownBy(() -> ResourceQuantities.cpuMillis("0m")).hasMessageContaining("more than 0");
        assertThatThrownBy(() -> ResourceQuantities.cpuMillis("-1")).hasMessageContaining("\"100m\"");
        assertThatThrownBy(() -> ResourceQuantities.cpuMillis("100Mi")).hasMessageContaining("\"100m\"");
        assertThatThrownBy(() -> ResourceQuantities.cpuMillis("1e3")).hasMessageContaining("\"100m\"");
        assertThatThrownBy(() -> ResourceQuantities.cpuMillis("")).hasMessageContaining("\"100m\"");
        assertThatThrownBy(() -> ResourceQuantities.cpuMillis(null)).hasMessageContaining("\"100m\"");
        assertThatThrownBy(() -> ResourceQuantities.cpuMillis("99999999999")).hasMessageContaining("not possible");
    }

    @Test
    void readsMemoryInBinaryAndDecimalUnitsRoundedUpToWholeMebibytes() {
        assertThat(ResourceQuantities.memoryMb("128Mi")).isEqualTo(128);
        assertThat(ResourceQuantities.memoryMb("1Gi")).isEqualTo(1024);
        assertThat(ResourceQuantities.memoryMb("0.5Gi")).isEqualTo(512);
        assertThat(ResourceQuantities.memoryMb("512M")).isEqualTo(489); // 512,000,000 bytes = 488.3 MiB
        assertThat(ResourceQuantities.memoryMb("1G")).isEqualTo(954);
        assertThat(ResourceQuantities.memoryMb("131072Ki")).isEqualTo(128);
        assertThat(ResourceQuantities.memoryMb("134217728")).isEqualTo(128);
        assertThat(ResourceQuantities.memoryMb("1")).isEqualTo(1);
    }

    @Test
    void refusesMemoryThatIsNotAQuantity() {
        assertThatThrownBy(() -> ResourceQuantities.memoryMb("128m")).hasMessageContaining("\"128Mi\"");
        assertThatThrownBy(() -> ResourceQuantities.memoryMb("128MB")).hasMessageContaining("\"128Mi\"");
        assertThatThrownBy(() -> ResourceQuantities.memoryMb("lots")).hasMessageContaining("\"128Mi\"");
        assertThatThrownBy(() -> ResourceQuantities.memoryMb("0Mi")).hasMessageContaining("more than 0");
        assertThatThrownBy(() -> ResourceQuantities.memoryMb("9999Ti")).hasMessageContaining("not possible");
    }
}
