package io.cloudfunc.gateway.function;

import io.cloudfunc.contracts.function.CodeCheck;
import io.cloudfunc.contracts.function.CodeCheckResult;
import io.cloudfunc.contracts.function.FunctionSpec;
import io.cloudfunc.gateway.downstream.ContainerManagers;
import io.cloudfunc.gateway.downstream.DownstreamService;
import io.cloudfunc.support.http.BufferedResponse;
import io.cloudfunc.support.problem.ProblemException;
import io.cloudfunc.support.problem.Problems;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A deploy's code is loaded once by its runtime before it is stored: a container-manager gives it to a prewarmed
 * container (a few tens of ms), which answers {@code init} and is then removed. Code that does not load (no such
 * handler, a syntax error, an import that fails) is a 400 {@code code-rejected} with the runtime's own error, and
 * nothing is deployed. Image functions are not checked (their image is, by {@link ImageCheck}). A manager that cannot
 * be reached or has no container to spare does not block the deploy: it goes ahead unchecked, as with
 * {@code verify=false}.
 */
@Component
class CodeVerification {

    private static final Logger log = LoggerFactory.getLogger(CodeVerification.class);

    private final ContainerManagers managers;
    private final JsonMapper json;
    private final AtomicInteger next = new AtomicInteger();

    CodeVerification(ContainerManagers managers, JsonMapper json) {
        this.managers = managers;
        this.json = json;
    }

    /** Where the code of a deploy comes from; opened once more for the check. */
    @FunctionalInterface
    interface Code {
        InputStream open() throws java.io.IOException;
    }

    /**
     * @throws ProblemException 400 code-rejected when the runtime could not load the code
     */
    void requireLoads(FunctionSpec spec, long codeSize, Code code) {
        requireLoads(spec, codeSize, code, null);
    }

    /**
     * @param dependenciesDigest the deploy's dependency build, installed beside the code for the check (null: none)
     * @throws ProblemException 400 code-rejected when the runtime could not load the code
     */
    void requireLoads(FunctionSpec spec, long codeSize, Code code, String dependenciesDigest) {
        String handler = handlerOf(spec);
        List<DownstreamService> all = managers.all();
        if (ImageCheck.isImageFunction(spec) || handler == null || all.isEmpty()) {
            return;
        }
        DownstreamService manager = all.get(Math.floorMod(next.getAndIncrement(), all.size()));
        Map<String, String> env = new HashMap<>();
        if (spec.env() != null) {
            env.putAll(spec.env());
        }
        if (spec.secrets() != null) {
            env.putAll(spec.secrets());
        }
        CodeCheck check = new CodeCheck(spec.runtime(), handler, spec.memoryMb(), env, spec.network(),
                spec.ociRuntime(), dependenciesDigest);
        BufferedResponse response;
        try (InputStream archive = code.open()) {
            var request = RegistryDeploy.of(json.writeValueAsBytes(check), spec.name() + ".zip", codeSize, archive);
            response = manager.post("/internal/code-checks?function="
                            + URLEncoder.encode(spec.name(), StandardCharsets.UTF_8), request.contentType(),
                    request.body(), request.length());
        } catch (ProblemException | java.io.IOException e) {
            log.warn("Could not have the {} check the code of {}; deploying it unchecked", manager.name(),
                    spec.name());
            return;
        }
        if (!response.isSuccess()) {
            log.warn("The {} answered HTTP {} to the code check of {}; deploying it unchecked", manager.name(),
                    response.status(), spec.name());
            return;
        }
        CodeCheckResult result;
        try {
            result = json.readValue(response.body(), CodeCheckResult.class);
        } catch (JacksonException e) {
            log.warn("The {} answered the code check of {} with something else than a result; deploying it"
                    + " unchecked", manager.name(), spec.name());
            return;
        }
        if (!result.ready() && result.error() != null) {
            throw Problems.codeRejected(spec.name(), result.error().type(), result.error().message(),
                    result.error().trace());
        }
    }

    /** The handler the registry will store: the one given, else the runtime's default (java has none). */
    private static String handlerOf(FunctionSpec spec) {
        if (spec.handler() != null) {
            return spec.handler();
        }
        if (spec.runtime() == null) {
            return null;
        }
        return spec.runtime().startsWith("node") ? InlineArchive.DEFAULT_NODE_HANDLER
                : spec.runtime().startsWith("python") ? InlineArchive.DEFAULT_HANDLER : null;
    }
}
