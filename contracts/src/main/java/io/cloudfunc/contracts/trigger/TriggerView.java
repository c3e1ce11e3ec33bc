package io.cloudfunc.contracts.trigger;

import java.time.Instant;

/**
 * A queue trigger as the API shows it: the URL's password (or token) is masked as {@code ***}.
 *
 * @param deliveries     messages that became invocations (accepted by the platform)
 * @param failures       messages whose invocation failed for good, or that could not be turned into one
 * @param lastDeliveryAt when a message last became an invocation
 * @param lastError      the latest failure, in a line
 */
public record TriggerView(String function, String name, String kind, String source, String url, int concurrency,
                          String deadLetter, Instant createdAt, long deliveries, long failures,
                          Instant lastDeliveryAt, String lastError) {
}
