package io.cloudfunc.support.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How one {@linkplain PooledHttpClients pooled client} behaves.
 *
 * @param maxConnections          connections the pool holds at most, all hosts together
 * @param maxPerRoute             connections to one host at most
 * @param connectTimeout          TCP connect timeout
 * @param readTimeout             how long a call may wait for the answer (socket and response timeout); null when
 *                                every request sets its own response timeout
 * @param poolWaitTimeout         how long a call may wait for a free pooled connection; null for HttpClient's
 *                                default (3 minutes)
 * @param evictIdleAfter          idle connections are closed after this long
 * @param retryIdempotentRequests whether HttpClient may resend an idempotent request (GET, PUT, DELETE) once after
 *                                an I/O error such as a connection the other side had closed; false where a request
 *                                must never run twice
 */
public record PooledHttpClientSettings(
        int maxConnections,
        int maxPerRoute,
        Duration connectTimeout,
        Duration readTimeout,
        Duration poolWaitTimeout,
        Duration evictIdleAfter,
        boolean retryIdempotentRequests) {

    public PooledHttpClientSettings {
        if (maxConnections < 1 || maxPerRoute < 1 || maxPerRoute > maxConnections) {
            throw new IllegalArgumentException("need 1 <= maxPerRoute <= maxConnections, got " + maxPerRoute
                    + " and " + maxConnections);
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(evictIdleAfter, "evictIdleAfter");
    }
}
