package io.cloudfunc.gateway.function;

import io.cloudfunc.contracts.function.DependencyBuildRequest;
import io.cloudfunc.contracts.function.DependencyBuildResult;
import io.cloudfunc.contracts.function.FunctionSpec;
import io.cloudfunc.gateway.downstream.ContainerManagers;
import io.cloudfunc.gateway.downstream.DownstreamService;
import io.cloudfunc.support.http.BufferedResponse;
import io.cloudfunc.support.problem.Problems;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A deploy's dependencies are built before its code is checked and stored: a container-manager reads the archive's
 * {@code requirements.txt} or {@code package.json} (or seed 002's {@code dependencies}), builds them in a throwaway
 * container, or reuses the build of the same set, and stores the build in the registry; the deploy then names the
 * build's digest. A build that fails is the manager's 400, relayed; nothing is stored. Image and java functions have
 * nothing to build.
 */
@Component
class DependencyBuilds {

    private static final Pattern BUILD_ID = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    private final ContainerManagers managers;
    private final JsonMapper json;
    private final AtomicInteger next = new AtomicInteger();

    DependencyBuilds(ContainerManagers managers, JsonMapper json) {
        this.managers = managers;
        this.json = json;
    }

    /**
     * A build's outcome: its digest (null when there was nothing to build), or the manager's refusal to relay.
     */
    record Outcome(String digest, ResponseEntity<byte[]> refused) {
    }

    /** The {@code buildId} query parameter: the id the caller reads the build's log by; a UUID. */
    static String buildId(String given) {
        if (given == null || given.isBlank()) {
            return UUID.randomUUID().toString();
        }
        if (!BUILD_ID.matcher(given).matches()) {
            throw Problems.invalidRequest("The 'buildId' parameter is a UUID (the id the build's log is read by at"
                    + " GET /builds/{id}/log), not '" + given + "'.").with("field", "buildId");
        }
        return given.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Whether the archive has a top-level file a build starts from: a requirements.txt or a package.json (the manager
     * reads them and decides; this only spares deploys without either a request). Entry names only.
     */
    private static boolean namesDependencyFile(CodeVerification.Code code) {
        try (ZipInputStream zip = new ZipInputStream(code.open())) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                String name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
                if (DEPENDENCY_FILES.contains(name)) {
                    return true;
                }
            }
            return false;
        } catch (IOException | IllegalArgumentException e) {
            return true; // the manager says what is wrong with it
        }
    }

    private static final Set<String> DEPENDENCY_FILES = Set.of("requirements.txt", "package.json");

    Outcome build(FunctionSpec spec, List<String> dependencies, long codeSize, CodeVerification.Code code,
                  String buildId) {
        String runtime = spec.runtime() == null ? "python" : spec.runtime();
        List<DownstreamService> all = managers.all();
        if (ImageCheck.isImageFunction(spec) || all.isEmpty()
                || runtime.equals("java") && (dependencies == null || dependencies.isEmpty())) {
            return new Outcome(null, null);
        }
        if ((dependencies == null || dependencies.isEmpty()) && !namesDependencyFile(code)) {
            return new Outcome(null, null); // the common deploy: no round trip to a manager
        }
        DownstreamService manager = all.get(Math.floorMod(next.getAndIncrement(), all.size()));
        var metadata = new DependencyBuildRequest(spec.name(), runtime, dependencies);
        BufferedResponse response;
        try (InputStream archive = code.open()) {
            var request = RegistryDeploy.of(json.writeValueAsBytes(metadata), spec.name() + ".zip", codeSize, archive);
            response = manager.post("/internal/builds?id=" + URLEncoder.encode(buildId, StandardCharsets.UTF_8),
                    request.contentType(), request.body(), request.length());
        } catch (IOException e) {
            throw Problems.invalidRequest("The 'code' part could not be read.");
        }
        if (response.status() == 204) {
            return new Outcome(null, null);
        }
        if (!response.isSuccess()) {
            return new Outcome(null, manager.relay(response));
        }
        try {
            return new Outcome(json.readValue(response.body(), DependencyBuildResult.class).digest(), null);
        } catch (JacksonException e) {
            throw manager.unexpected(response);
        }
    }
}
