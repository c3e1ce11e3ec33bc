package io.cloudfunc.containers.registry;

import io.cloudfunc.containers.ContainerManagerProperties;
import io.cloudfunc.contracts.function.DependencyBuildView;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.function.FunctionView;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.support.http.PooledHttpClientSettings;
import io.cloudfunc.support.http.PooledHttpClients;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls to the function-registry's internal API ({@code containers.registry-url}). The final-state PUT is on every
 * invocation's path, so the HTTP client is Apache HttpClient 5 with a pooled keep-alive connection per consumer
 * (the JDK client costs 1-2 ms more per call here) and bodies are serialised once to bytes (known length, no
 * chunking).
 */
@Component
public class RegistryClient implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RegistryClient.class);

    private final RestClient rest;
    private final CloseableHttpClient http;
    private final JsonMapper json;
    /**
     * Versions never change, so they are cached for ever; a deleted function's entries are evicted. A version number
     * can come back with other code after a delete, which the code digest in each invocation catches.
     */
    private final ConcurrentMap<VersionKey, FunctionVersionView> versions = new ConcurrentHashMap<>();
    /** Counts evictions, so that a load overlapping one does not put back what was evicted. */
    private final AtomicLong evictions = new AtomicLong();

    public RegistryClient(RestClient.Builder builder, ContainerManagerProperties properties, JsonMapper json) {
        this.json = json;
        int connections = properties.consumer().concurrency() + 8; // one per consumer, plus RUNNING marks
        this.http = PooledHttpClients.create(new PooledHttpClientSettings(connections, connections,
                Duration.ofSeconds(2), properties.timeouts().registry(), null, Duration.ofSeconds(30), true));
        this.rest = builder.clone()
                .baseUrl(properties.registryUrl().toString())
                .requestFactory(new HttpComponentsClientHttpRequestFactory(http))
                .build();
    }

    @Override
    public void destroy() throws IOException {
        http.close();
    }

    /**
     * A version, cached. When {@code codeSha256} is given (the digest of the code the invocation was sent for) and
     * the cached version has other code, the function was deleted and deployed again meanwhile (version numbers
     * start again at 1): its cached versions are dropped and the version is loaded again.
     *
     * @param codeSha256 the code digest the caller expects, or null to take the version as cached
     * @throws FunctionNotFoundException    the registry has no such version
     * @throws FunctionReplacedException    the registry's version has other code than {@code codeSha256}
     * @throws RegistryUnavailableException the registry could not answer
     */
    public FunctionVersionView version(String functionName, int version, String codeSha256) {
        VersionKey key = new VersionKey(functionName, version);
        FunctionVersionView cached = versions.get(key);
        if (cached != null) {
            if (codeSha256 == null || sameCode(cached, codeSha256)) {
                return cached;
            }
            log.info("Cached {} v{} has other code than the invocation was sent for (the function was deleted and"
                    + " deployed again): reloading it", functionName, version);
            evict(functionName);
        }
        FunctionVersionView view = load(key);
        if (codeSha256 != null && !sameCode(view, codeSha256)) {
            throw new FunctionReplacedException(functionName, version, codeSha256, view.codeSha256());
        }
        return view;
    }

    private FunctionVersionView load(VersionKey key) {
        String functionName = key.functionName();
        int version = key.version();
        long generation = evictions.get();
        FunctionVersionView view = call("load " + functionName + " v" + version, () -> {
            try {
                return rest.get().uri("/internal/functions/{name}/versions/{version}", functionName, version)
                        .accept(MediaType.APPLICATION_JSON)
                        .retrieve()
                        .body(FunctionVersionView.class);
            } catch (HttpClientErrorException.NotFound e) {
                throw new FunctionNotFoundException(functionName, version);
            }
        });
        if (view == null) {
            throw new RegistryUnavailableException("the registry answered an empty body for " + functionName
                    + " v" + version, null);
        }
        versions.put(key, view);
        // An eviction that ran while we were loading may have been meant for what we loaded (a DELETED event
        // racing the request): then it must not stay cached. Checked after the put, and evict() counts before it
        // removes, so either this check sees the eviction or the eviction removes the entry.
        if (evictions.get() != generation) {
            versions.remove(key, view);
        }
        return view;
    }

    /**
     * Caches a version the registry announced itself (its deploy event carries it), as if it had been loaded; the
     * first call of it then asks the registry nothing.
     */
    public void remember(FunctionVersionView view) {
        versions.put(new VersionKey(view.functionName(), view.version()), view);
    }

    /** Forgets cached versions of a function (it was deleted: a new function of that name starts again at v1). */
    public void evict(String functionName) {
        evictions.incrementAndGet();
        versions.keySet().removeIf(key -> key.functionName().equals(functionName));
    }

    private static boolean sameCode(FunctionVersionView view, String codeSha256) {
        return codeSha256.equalsIgnoreCase(view.codeSha256());
    }

    /** Every function with its latest version's configuration ({@code GET /internal/functions}). */
    public List<FunctionView> functions() {
        List<FunctionView> functions = call("list the functions", () -> rest.get()
                .uri("/internal/functions")
                .accept(MediaType.APPLICATION_JSON)
                .retrieve()
                .body(new ParameterizedTypeReference<List<FunctionView>>() { }));
        return functions != null ? functions : List.of();
    }

    /** The code archive (zip) of a version. */
    public byte[] code(String functionName, int version) {
        byte[] zip = call("download the code of " + functionName + " v" + version, () -> {
            try {
                return rest.get().uri("/internal/functions/{name}/versions/{version}/code", functionName, version)
                        .retrieve()
                        .body(byte[].class);
            } catch (HttpClientErrorException.NotFound e) {
                throw new FunctionNotFoundException(functionName, version);
            }
        });
        return zip != null ? zip : new byte[0];
    }

    /**
     * The decrypted secrets of a version, for the {@code init} of a container. Not cached: they live in this process
     * only while a container starts.
     */
    public Map<String, String> secrets(String functionName, int version) {
        Map<String, String> secrets = call("read the secrets of " + functionName + " v" + version, () -> {
            try {
                return rest.get().uri("/internal/functions/{name}/versions/{version}/secrets", functionName, version)
                        .accept(MediaType.APPLICATION_JSON)
                        .retrieve()
                        .body(new ParameterizedTypeReference<Map<String, String>>() { });
            } catch (HttpClientErrorException.NotFound e) {
                throw new FunctionNotFoundException(functionName, version);
            }
        });
        return secrets != null ? secrets : Map.of();
    }

    /** A stored dependency build, empty when the registry has none of that digest. */
    public Optional<DependencyBuildView> dependencyBuild(String digest) {
        return Optional.ofNullable(call("look up dependency build " + digest, () -> {
            try {
                return rest.get().uri("/internal/dependency-builds/{digest}", digest)
                        .accept(MediaType.APPLICATION_JSON)
                        .retrieve()
                        .body(DependencyBuildView.class);
            } catch (HttpClientErrorException.NotFound e) {
                return null;
            }
        }));
    }

    /** Stores what a build installed (a zip); a build of that digest stored meanwhile is kept instead. */
    public DependencyBuildView storeDependencyBuild(String digest, String runtime, long buildMs, byte[] archive) {
        return call("store dependency build " + digest, () -> rest.put()
                .uri("/internal/dependency-builds/{digest}?runtime={runtime}&buildMs={buildMs}", digest, runtime,
                        buildMs)
                .contentType(MediaType.parseMediaType("application/zip"))
                .body(archive)
                .accept(MediaType.APPLICATION_JSON)
                .retrieve()
                .body(DependencyBuildView.class));
    }

    /** The archive of a stored dependency build. */
    public byte[] dependencyArchive(String digest) {
        byte[] zip = call("download dependency build " + digest, () -> rest.get()
                .uri("/internal/dependency-builds/{digest}/archive", digest)
                .retrieve()
                .body(byte[].class));
        return zip != null ? zip : new byte[0];
    }

    private static <T> T call(String what, Supplier<T> request) {
        try {
            return request.get();
        } catch (RestClientResponseException e) {
            HttpStatus status = HttpStatus.resolve(e.getStatusCode().value());
            if (e.getStatusCode().is4xxClientError()) {
                throw new RegistryRejectedException("the registry refused to " + what + ": " + e.getStatusCode()
                        + " " + e.getResponseBodyAsString(), e);
            }
            throw new RegistryUnavailableException("the registry failed to " + what + ": "
                    + (status != null ? status : e.getStatusCode()), e);
        } catch (RestClientException e) {
            throw new RegistryUnavailableException("could not reach the registry to " + what + ": "
                    + e.getMessage(), e);
        }
    }

    private record VersionKey(String functionName, int version) {
    }
}
