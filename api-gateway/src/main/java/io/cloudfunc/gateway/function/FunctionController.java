package io.cloudfunc.gateway.function;

import io.cloudfunc.contracts.function.AliasRequest;
import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.contracts.function.FunctionRefs;
import io.cloudfunc.contracts.function.FunctionSpec;
import io.cloudfunc.contracts.function.InlineDeployRequest;
import io.cloudfunc.gateway.GatewayProperties;
import io.cloudfunc.gateway.downstream.RegistryService;
import io.cloudfunc.gateway.downstream.SchedulerService;
import io.cloudfunc.gateway.web.PublicJson;
import io.cloudfunc.gateway.web.RequestBodies;
import io.cloudfunc.support.http.BufferedResponse;
import io.cloudfunc.support.problem.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /functions}: deploy, list, describe, delete, configuration updates, versions and aliases. Answers are the
 * registry's, relayed unchanged.
 */
@RestController
@RequestMapping("/functions")
class FunctionController {

    private static final Logger log = LoggerFactory.getLogger(FunctionController.class);

    /** Room for JSON escaping around the inline code (quotes, newlines, \\uXXXX) and the other fields. */
    private static final int INLINE_ESCAPING_FACTOR = 6;
    private static final long INLINE_FIELDS_ALLOWANCE = 64 * 1024;

    private final RegistryService registry;
    private final GatewayProperties properties;
    private final JsonMapper json;
    private final PublicJson publicJson;
    private final ImageCheck imageCheck;
    private final SchedulerService scheduler;
    private final CodeVerification verification;
    private final DependencyBuilds builds;

    FunctionController(RegistryService registry, GatewayProperties properties, JsonMapper json,
                       PublicJson publicJson, ImageCheck imageCheck, SchedulerService scheduler,
                       CodeVerification verification, DependencyBuilds builds) {
        this.registry = registry;
        this.builds = builds;
        this.verification = verification;
        this.scheduler = scheduler;
        this.imageCheck = imageCheck;
        this.properties = properties;
        this.json = json;
        this.publicJson = publicJson;
    }

    /** Zip upload: a {@code code} part plus metadata as a {@code metadata} JSON part or as form fields. */
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<byte[]> deployArchive(HttpServletRequest request) {
        DeployForm form = DeployForm.read(request, publicJson);
        FunctionSpec spec = FunctionSpecs.validate(form.spec());
        Part code = form.code();
        if (code == null) {
            if (!ImageCheck.isImageFunction(spec)) {
                throw Problems.invalidRequest(DeployForm.MISSING_CODE);
            }
            return deployImage(spec);
        }
        checkArchive(code);
        imageCheck.requireImage(spec);
        String buildId = DependencyBuilds.buildId(request.getParameter("buildId"));
        boolean verify = verify(request);
        if (verify) {
            ResponseEntity<byte[]> refused = validate(spec, code.getSize(), code::getInputStream);
            if (refused != null) {
                return refused;
            }
        }
        DependencyBuilds.Outcome build = builds.build(spec, List.of(), code.getSize(), code::getInputStream,
                buildId);
        if (build.refused() != null) {
            return build.refused();
        }
        if (verify) {
            verification.requireLoads(spec, code.getSize(), code::getInputStream, build.digest());
        }
        try (InputStream archive = code.getInputStream()) {
            return deploy(spec, code.getSize(), archive, build.digest());
        } catch (IOException e) {
            throw Problems.invalidRequest("The 'code' part could not be read.");
        }
    }

    /** Inline deploy: the JSON carries the handler module's source, which is zipped here. */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> deployInline(HttpServletRequest request) {
        long maxCode = properties.maxInlineCodeSize().toBytes();
        byte[] body = RequestBodies.read(request, maxCode * INLINE_ESCAPING_FACTOR + INLINE_FIELDS_ALLOWANCE,
                "an inline deploy");
        InlineDeployRequest inline = publicJson.read(body, InlineDeployRequest.class,
                "The inline deploy (a JSON object with name, runtime, handler, code and the configuration fields)");
        FunctionSpec spec = FunctionSpecs.validate(InlineArchive.withDefaults(ConfigBlock.merge(inline),
                inline.code()));
        List<String> dependencies = ConfigBlock.dependencies(inline);
        if (inline.code() == null && ImageCheck.isImageFunction(spec)) {
            return deployImage(spec);
        }
        checkInlineCode(inline.code());
        byte[] archive = InlineArchive.zip(InlineArchive.moduleFile(spec.runtime(), spec.handler()), inline.code());
        String buildId = DependencyBuilds.buildId(request.getParameter("buildId"));
        boolean verify = verify(request);
        if (verify) {
            ResponseEntity<byte[]> refused = validate(spec, archive.length, () -> new ByteArrayInputStream(archive));
            if (refused != null) {
                return refused;
            }
        }
        DependencyBuilds.Outcome build = builds.build(spec, dependencies, archive.length,
                () -> new ByteArrayInputStream(archive), buildId);
        if (build.refused() != null) {
            return build.refused();
        }
        if (verify) {
            verification.requireLoads(spec, archive.length, () -> new ByteArrayInputStream(archive), build.digest());
        }
        return deploy(spec, archive.length, new ByteArrayInputStream(archive), build.digest());
    }

    /**
     * A deploy's first check before it is stored: the registry's (configuration, archive: asked as a dry run, so that
     * what it refuses is said in its words). Null when it passes, the registry's refusal otherwise. The dependencies
     * are built next ({@link DependencyBuilds}), then the code is loaded by its runtime ({@link CodeVerification}).
     */
    private ResponseEntity<byte[]> validate(FunctionSpec spec, long codeSize, CodeVerification.Code code) {
        BufferedResponse validated;
        try (InputStream archive = code.open()) {
            var request = RegistryDeploy.of(json.writeValueAsBytes(spec), spec.name() + ".zip", codeSize, archive);
            validated = registry.post("/internal/functions?dryRun=true", request.contentType(), request.body(),
                    request.length());
        } catch (IOException e) {
            throw Problems.invalidRequest("The 'code' part could not be read.");
        }
        if (!validated.isSuccess()) {
            return registry.relay(validated);
        }
        return null;
    }

    /**
     * {@code ?verify=false} deploys without loading the code first ({@link CodeVerification}); the default is to
     * load it.
     */
    private static boolean verify(HttpServletRequest request) {
        String verify = request.getParameter("verify");
        if (verify == null || verify.equalsIgnoreCase("true")) {
            return true;
        }
        if (verify.equalsIgnoreCase("false")) {
            return false;
        }
        throw Problems.invalidRequest("The 'verify' parameter is true or false, not '" + verify + "'.")
                .with("field", "verify");
    }

    private void checkInlineCode(String code) {
        if (code == null || code.isBlank()) {
            throw Problems.invalidRequest("The 'code' field with the handler module's source is required.");
        }
        if (code.getBytes(StandardCharsets.UTF_8).length > properties.maxInlineCodeSize().toBytes()) {
            throw Problems.payloadTooLarge("The inline code is too large: at most "
                    + properties.maxInlineCodeSize().toKilobytes() + " KB; upload a zip archive instead.");
        }
    }

    @GetMapping
    ResponseEntity<byte[]> list() {
        return registry.relay(registry.get("/internal/functions"));
    }

    @GetMapping("/{name}")
    ResponseEntity<byte[]> describe(@PathVariable String name) {
        return registry.relay(registry.get("/internal/functions/" + checkedName(name)));
    }

    @DeleteMapping("/{name}")
    ResponseEntity<byte[]> delete(@PathVariable String name) {
        return changed(name, registry.delete("/internal/functions/" + checkedName(name)));
    }

    /**
     * A new version: with the latest version's code, or with {@code code} (the handler module's source, as in an
     * inline deploy: seed 002's "update function") in its place. Configuration fields left out keep their value;
     * {@code env} and {@code secrets}, when given, replace the whole map.
     */
    @PutMapping(value = "/{name}", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> update(@PathVariable String name, HttpServletRequest request) {
        checkedName(name);
        long maxCode = properties.maxInlineCodeSize().toBytes();
        byte[] body = RequestBodies.read(request, maxCode * INLINE_ESCAPING_FACTOR + INLINE_FIELDS_ALLOWANCE,
                "an update");
        InlineDeployRequest update = publicJson.read(body, InlineDeployRequest.class,
                "The update (a JSON object with the configuration fields to change, and code for new code)");
        FunctionSpec changes = ConfigBlock.merge(update);
        List<String> dependencies = ConfigBlock.dependencies(update);
        String path = "/internal/functions/" + name;
        if (update.code() == null) {
            if (!dependencies.isEmpty()) {
                throw Problems.invalidRequest("'config.dependencies' are installed with new code: give 'code' too.")
                        .with("field", "config.dependencies");
            }
            long maxConfiguration = properties.multipart().maxMetadataSize().toBytes();
            if (body.length > maxConfiguration) {
                throw Problems.payloadTooLarge("The body is too large: a configuration update may be at most "
                        + properties.multipart().maxMetadataSize().toKilobytes() + " KB.");
            }
            return changed(name, registry.put(path, MediaType.APPLICATION_JSON_VALUE,
                    json.writeValueAsBytes(changes)), true);
        }
        checkInlineCode(update.code());
        BufferedResponse current = registry.get(path);
        if (!current.isSuccess()) {
            return registry.relay(current);
        }
        JsonNode currentView = json.readTree(current.body());
        byte[] archive = InlineArchive.zip(moduleFileAfter(update, currentView), update.code());
        FunctionSpec after = specAfter(name, update, currentView);
        String runtimeAfter = update.runtime() != null ? update.runtime() : text(currentView.path("runtime"));
        DependencyBuilds.Outcome build = builds.build(new FunctionSpec(name, runtimeAfter, null, null, null, null,
                null), dependencies, archive.length, () -> new ByteArrayInputStream(archive),
                DependencyBuilds.buildId(request.getParameter("buildId")));
        if (build.refused() != null) {
            return build.refused();
        }
        if (verify(request) && after != null) {
            verification.requireLoads(after, archive.length, () -> new ByteArrayInputStream(archive), build.digest());
        }
        var put = RegistryDeploy.of(json.writeValueAsBytes(changes), name + ".zip", archive.length,
                new ByteArrayInputStream(archive));
        return changed(name, registry.put(path + dependenciesParameter(build.digest()), put.contentType(), put.body(),
                put.length()), true);
    }

    /**
     * Where the new code goes: the handler's module once the update is applied, by the registry's rule (a handler
     * left out is kept, unless the runtime is given: then it is that runtime's default).
     */
    private static String moduleFileAfter(InlineDeployRequest update, JsonNode current) {
        String runtime = update.runtime() != null ? update.runtime() : text(current.path("runtime"));
        String handler = update.handler() != null ? update.handler()
                : update.runtime() == null ? text(current.path("handler")) : null;
        return InlineArchive.moduleFile(runtime, handler);
    }

    /**
     * What the code of an update is checked with: the function's runtime, handler, memory and env once the update is
     * applied. Null (not checked) when the function has secrets the update does not give: their values are not
     * readable here, and code that reads one while loading would be refused for want of it.
     */
    private FunctionSpec specAfter(String name, InlineDeployRequest update, JsonNode current) {
        FunctionSpec changes = ConfigBlock.merge(update);
        if (changes.secrets() == null && current.path("secretNames").isArray() && !current.path("secretNames").isEmpty()) {
            return null;
        }
        String runtime = changes.runtime() != null ? changes.runtime() : text(current.path("runtime"));
        String handler = changes.handler() != null ? changes.handler()
                : changes.runtime() == null ? text(current.path("handler")) : null;
        Integer memoryMb = changes.memoryMb() != null ? changes.memoryMb()
                : current.path("memoryMb").canConvertToInt() ? current.path("memoryMb").asInt() : null;
        java.util.Map<String, String> env = changes.env();
        if (env == null) {
            env = new java.util.HashMap<>();
            for (var field : current.path("env").properties()) {
                env.put(field.getKey(), field.getValue().asString());
            }
        }
        String network = changes.network() != null ? changes.network() : text(current.path("network"));
        String ociRuntime = changes.ociRuntime() != null ? changes.ociRuntime() : text(current.path("ociRuntime"));
        return new FunctionSpec(name, runtime, handler, null, memoryMb, null, env, null, null, null, network,
                ociRuntime, null, null, null, changes.secrets());
    }

    @GetMapping("/{name}/versions")
    ResponseEntity<byte[]> versions(@PathVariable String name) {
        return registry.relay(registry.get("/internal/functions/" + checkedName(name) + "/versions"));
    }

    /**
     * A new latest version with the code and configuration of an older one (201, the function's view): a rollback of
     * what the bare name runs. 404 for an unknown function or version.
     */
    @PostMapping("/{name}/versions/{version}/redeploy")
    ResponseEntity<byte[]> redeploy(@PathVariable String name, @PathVariable String version) {
        checkedName(name);
        if (!version.matches("[1-9][0-9]{0,8}")) {
            throw Problems.invalidRequest("Invalid version '" + version + "': a version number (1, 2, ...).")
                    .with("functionName", name);
        }
        BufferedResponse response = registry.post("/internal/functions/" + name + "/versions/" + version
                + "/redeploy", MediaType.APPLICATION_JSON_VALUE, new byte[0]);
        ResponseEntity<byte[]> relayed = changed(name, response, true);
        if (response.isSuccess()) {
            return ResponseEntity.status(relayed.getStatusCode()).headers(relayed.getHeaders())
                    .location(URI.create("/functions/" + name + "/versions/" + latestVersionOf(response)))
                    .body(relayed.getBody());
        }
        return relayed;
    }

    @GetMapping("/{name}/aliases")
    ResponseEntity<byte[]> aliases(@PathVariable String name) {
        return registry.relay(registry.get("/internal/functions/" + checkedName(name) + "/aliases"));
    }

    @GetMapping("/{name}/aliases/{alias}")
    ResponseEntity<byte[]> alias(@PathVariable String name, @PathVariable String alias) {
        return registry.relay(registry.get(aliasPath(name, alias)));
    }

    /** Creates (201) or moves (200) an alias: {@code {"version": 3}}. Rollback is moving it back. */
    @PutMapping(value = "/{name}/aliases/{alias}", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> setAlias(@PathVariable String name, @PathVariable String alias,
            HttpServletRequest request) {
        String path = aliasPath(name, alias);
        byte[] body = RequestBodies.read(request, 4096, "an alias");
        AliasRequest target = publicJson.read(body, AliasRequest.class, "The alias");
        BufferedResponse response = registry.put(path, MediaType.APPLICATION_JSON_VALUE,
                json.writeValueAsBytes(target));
        ResponseEntity<byte[]> relayed = changed(name, response);
        if (response.status() == 201) {
            return ResponseEntity.status(201).headers(relayed.getHeaders())
                    .location(URI.create("/functions/" + name + "/aliases/" + alias)).body(relayed.getBody());
        }
        return relayed;
    }

    @DeleteMapping("/{name}/aliases/{alias}")
    ResponseEntity<byte[]> deleteAlias(@PathVariable String name, @PathVariable String alias) {
        return changed(name, registry.delete(aliasPath(name, alias)));
    }

    /**
     * Relays the registry's answer to a change of a function; a successful one first makes the scheduler forget
     * what it resolved for the function, so that a call right after the change sees it (the registry's
     * {@code FunctionChanged} event would, a moment later). Best effort: a scheduler that does not answer is left
     * to the event.
     */
    private ResponseEntity<byte[]> changed(String name, BufferedResponse response) {
        return changed(name, response, false);
    }

    /**
     * @param newVersion the change made a new latest version (a deploy, a configuration update): the scheduler is
     *                   told which (the {@code latestVersion} of the registry's answer), so that it keeps that version
     *                   if the registry's event has already brought it
     */
    private ResponseEntity<byte[]> changed(String name, BufferedResponse response, boolean newVersion) {
        if (response.isSuccess()) {
            int version = newVersion ? latestVersionOf(response) : 0;
            try {
                scheduler.delete("/internal/function-cache/" + name + (version > 0 ? "?version=" + version : ""));
            } catch (RuntimeException e) {
                log.debug("The scheduler did not forget function {}: {}", name, e.toString());
            }
        }
        return registry.relay(response);
    }

    /** The {@code latestVersion} of the registry's function view, 0 when the answer does not have one. */
    private int latestVersionOf(BufferedResponse response) {
        try {
            JsonNode version = json.readTree(response.body()).path("latestVersion");
            return version.canConvertToInt() ? version.asInt() : 0;
        } catch (JacksonException e) {
            return 0;
        }
    }

    private static String text(JsonNode node) {
        return node.isString() ? node.asString() : null;
    }

    private static String aliasPath(String name, String alias) {
        checkedName(name);
        if (!FunctionRefs.isValidAlias(alias)) {
            throw Problems.invalidRequest("Invalid alias '" + alias + "': " + FunctionRefs.ALIAS_RULE + ".")
                    .with("alias", alias);
        }
        return "/internal/functions/" + name + "/aliases/" + alias;
    }

    /** A function of runtime image without code: the registry stores an empty archive for it. */
    private ResponseEntity<byte[]> deployImage(FunctionSpec spec) {
        imageCheck.requireImage(spec);
        byte[] empty = InlineArchive.empty();
        return deploy(spec, empty.length, new ByteArrayInputStream(empty));
    }

    private ResponseEntity<byte[]> deploy(FunctionSpec spec, long codeSize, InputStream code) {
        return deploy(spec, codeSize, code, null);
    }

    /** @param dependencies the digest of the deploy's dependency build, null when it has none */
    private ResponseEntity<byte[]> deploy(FunctionSpec spec, long codeSize, InputStream code, String dependencies) {
        var request = RegistryDeploy.of(json.writeValueAsBytes(spec), spec.name() + ".zip", codeSize, code);
        BufferedResponse response = registry.post("/internal/functions" + dependenciesParameter(dependencies),
                request.contentType(), request.body(), request.length());
        ResponseEntity<byte[]> relayed = changed(spec.name(), response, true);
        if (response.isSuccess()) {
            return ResponseEntity.status(relayed.getStatusCode())
                    .headers(relayed.getHeaders())
                    .location(URI.create("/functions/" + spec.name()))
                    .body(relayed.getBody());
        }
        return relayed;
    }

    private static String dependenciesParameter(String digest) {
        return digest == null ? "" : "?dependencies=" + digest;
    }

    /** Empty or not a zip at all: said here, in plain words; the registry checks the archive's content. */
    private void checkArchive(Part code) {
        if (code.getSize() == 0) {
            throw Problems.invalidArchive("The 'code' part is empty; it must hold the function's zip archive.");
        }
        if (code.getSize() > properties.maxArchiveSize().toBytes()) {
            throw Problems.payloadTooLarge("The code archive is too large: at most "
                    + properties.maxArchiveSize().toMegabytes() + " MB.");
        }
        try (InputStream in = code.getInputStream()) {
            byte[] magic = in.readNBytes(2);
            if (magic.length < 2 || magic[0] != 'P' || magic[1] != 'K') {
                throw Problems.invalidArchive("The 'code' part is not a zip archive.");
            }
        } catch (IOException e) {
            throw Problems.invalidRequest("The 'code' part could not be read.");
        }
    }

    static String checkedName(String name) {
        if (!FunctionNames.isValid(name)) {
            throw Problems.invalidName(name);
        }
        return name;
    }
}
