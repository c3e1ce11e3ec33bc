package io.cloudfunc.gateway;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
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
 * @param connectTimeout    TCP connect timeout towards the registry and the scheduler
 * @param registryTimeout   how long one registry call (deploy included) may take
 * @param invokeTimeout     how long the gateway waits for the scheduler; the scheduler answers by itself after the
 *                          function's timeout plus its margin, so this only guards against a hung scheduler
 * @param multipart         multipart upload limits beyond the archive size
 */
@Validated
@ConfigurationProperties("gateway")
public record GatewayProperties(
        @DefaultValue("http://localhost:7000") @NotNull URI registryUrl,
        @DefaultValue("http://localhost:9000") @NotNull URI schedulerUrl,
        @DefaultValue("50MB") @NotNull DataSize maxArchiveSize,
        @DefaultValue("6MB") @NotNull DataSize maxEventSize,
        @DefaultValue("1MB") @NotNull DataSize maxInlineCodeSize,
        @DefaultValue("2s") @NotNull Duration connectTimeout,
        @DefaultValue("60s") @NotNull Duration registryTimeout,
        @DefaultValue("16m") @NotNull Duration invokeTimeout,
        @DefaultValue @Valid @NotNull Multipart multipart) {

    public GatewayProperties {
        if (maxArchiveSize != null && maxArchiveSize.toBytes() <= 0) {
            throw new IllegalArgumentException("gateway.max-archive-size must be positive");
        }
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

    /** Largest whole multipart deploy request. */
    public long maxDeployRequestBytes() {
        return maxArchiveSize.toBytes() + multipart.maxMetadataSize().toBytes();
    }
}
