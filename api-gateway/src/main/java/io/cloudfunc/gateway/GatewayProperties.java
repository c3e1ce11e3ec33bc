package io.cloudfunc.gateway;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything the gateway can be told ({@code gateway.*}, or {@code GATEWAY_*} environment variables).
 *
 * @param registryUrl       base URL of the function-registry
 * @param schedulerUrl      base URL of the scheduler
 * @param maxArchiveSize    largest code archive accepted on deploy
 * @param maxEventSize      largest invocation event accepted
 * @param maxInlineCodeSize largest {@code code} of a JSON (inline) deploy, in UTF-8 bytes
 * @param maxHeaderSize     largest request line and headers together (413 above it); Tomcat's own parser limit is
 *                          set well above, so that the gateway, not Tomcat, answers
 * @param connectTimeout    TCP connect timeout towards the registry and the scheduler
 * @param registryTimeout   how long one registry call (deploy included) may take
 * @param invokeTimeout     longest wait for a synchronous call's reply. The platform answers by itself (the
 *                          outcome, a timeout, or "not started before its deadline"), so this only guards against a
 *                          reply that cannot come (a node that died holding the call and never came back)
 * @param startTimeout      a synchronous call not started in a container within this time after it was accepted is
 *                          not run at all (its deadline, carried by the message; the call answers 504 and its record
 *                          says why). Covers a cold start and a wait for capacity at a full node
 * @param acceptTimeout     longest wait for a scheduler to accept an asynchronous call (confirmed forward and QUEUED
 *                          record) before a 503
 * @param multipart         multipart upload limits beyond the archive size
 * @param containerManagerUrls base URLs of container-managers' internal API (their HTTP port), used only until a node
 *                          has announced itself on {@code cloudfunc.nodes}: from then on the gateway reaches every live
 *                          node at the URL it announces (images are uploaded to each, {@code /instances} asks each)
 * @param maxImageSize      largest {@code docker save} archive {@code POST /images} accepts
 * @param imageTimeout      how long one container-manager may take to load an uploaded archive
 * @param auth              API key verification and rate limits
 */
@Validated
@ConfigurationProperties("gateway")
public record GatewayProperties(
        @DefaultValue("http://localhost:7000") @NotNull URI registryUrl,
        @DefaultValue("http://localhost:9000") @NotNull URI schedulerUrl,
        @DefaultValue("50MB") @NotNull DataSize maxArchiveSize,
        @DefaultValue("6MB") @NotNull DataSize maxEventSize,
        @DefaultValue("1MB") @NotNull DataSize maxInlineCodeSize,
        @DefaultValue("16KB") @NotNull DataSize maxHeaderSize,
        @DefaultValue("2s") @NotNull Duration connectTimeout,
        @DefaultValue("60s") @NotNull Duration registryTimeout,
        @DefaultValue("16m") @NotNull Duration invokeTimeout,
        @DefaultValue("60s") @NotNull Duration startTimeout,
        @DefaultValue("10s") @NotNull Duration acceptTimeout,
        @DefaultValue @Valid @NotNull Multipart multipart,
        @DefaultValue("http://localhost:9100") @NotEmpty List<@NotNull URI> containerManagerUrls,
        @DefaultValue("2GB") @NotNull DataSize maxImageSize,
        @DefaultValue("10m") @NotNull Duration imageTimeout,
        @DefaultValue @Valid @NotNull Auth auth) {

    public GatewayProperties {
        if (maxArchiveSize != null && maxArchiveSize.toBytes() <= 0) {
            throw new IllegalArgumentException("gateway.max-archive-size must be positive");
        }
        containerManagerUrls = containerManagerUrls == null ? List.of() : List.copyOf(containerManagerUrls);
        if (maxEventSize != null && maxEventSize.toBytes() <= 0) {
            throw new IllegalArgumentException("gateway.max-event-size must be positive");
        }
    }

    /**
     * @param maxMetadataSize   room a multipart deploy may use beyond the archive (metadata part, form fields);
     *                          the whole request may be at most {@code max-archive-size + max-metadata-size}
     * @param fileSizeThreshold parts up to this size stay in memory, larger ones go to a temporary file (small, so
     *                          that many concurrent uploads cannot fill the heap)
     */
    public record Multipart(
            @DefaultValue("1MB") @NotNull DataSize maxMetadataSize,
            @DefaultValue("256KB") @NotNull DataSize fileSizeThreshold) {
    }

    /**
     * @param cacheTtl      how long a verified key (or an unknown secret) is trusted without asking the registry
     *                      again: a key revoked through another gateway, or in the database, stops working after at
     *                      most this long; through this gateway at once
     * @param maxCachedKeys most secrets remembered at once (unknown ones included)
     * @param rateLimits    each role's token bucket, unless a key has its own
     */
    public record Auth(
            @DefaultValue("5s") @NotNull Duration cacheTtl,
            @DefaultValue("10000") @Positive int maxCachedKeys,
            @DefaultValue @Valid @NotNull RoleRateLimits rateLimits) {

        public Auth {
            if (cacheTtl != null && cacheTtl.isNegative()) {
                throw new IllegalArgumentException("gateway.auth.cache-ttl must not be negative");
            }
        }
    }

    /**
     * Rate limits per role ({@code gateway.auth.rate-limits.<role>.requests-per-second} and {@code .burst}). By
     * default admin keys are unlimited (the operator's, and what benchmarks use) and developer and invoker keys get
     * 1,000 requests per second with bursts of 2,000: a guard against runaway clients, not a quota. Calls of HTTP
     * functions made without a key ({@code public} and {@code webhook} access) are limited per client address
     * ({@code .anonymous}: 100 a second, bursts of 200, by default).
     */
    public record RoleRateLimits(Limit admin, Limit developer, Limit invoker, Limit anonymous) {

        public RoleRateLimits {
            admin = admin == null ? new Limit(0, 0) : admin;
            developer = developer == null ? new Limit(1000, 2000) : developer;
            invoker = invoker == null ? new Limit(1000, 2000) : invoker;
            anonymous = anonymous == null ? new Limit(100, 200) : anonymous;
        }
    }

    /**
     * A token bucket.
     *
     * @param requestsPerSecond sustained rate; 0 means unlimited
     * @param burst             most requests at once; 0 means one second's worth ({@code requestsPerSecond})
     */
    public record Limit(@DefaultValue("0") @PositiveOrZero int requestsPerSecond,
                        @DefaultValue("0") @PositiveOrZero int burst) {
    }

    /** Largest whole multipart deploy request. */
    public long maxDeployRequestBytes() {
        return maxArchiveSize.toBytes() + multipart.maxMetadataSize().toBytes();
    }
}
