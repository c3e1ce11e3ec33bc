package io.cloudfunc.contracts.trigger;

import java.time.Instant;

/**
 * What one scheduler saw of one trigger since its last report ({@code POST /internal/triggers/counts}, a JSON array):
 * the registry adds the counts to the trigger's totals and keeps the latest delivery time and error.
 */
public record TriggerCounts(String function, String name, long deliveries, long failures, Instant lastDeliveryAt,
                            String lastError, Instant lastErrorAt) {
}
