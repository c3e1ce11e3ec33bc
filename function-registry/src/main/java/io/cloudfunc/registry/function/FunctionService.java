package io.cloudfunc.registry.function;

import io.cloudfunc.contracts.function.FunctionRefs;
import io.cloudfunc.contracts.function.FunctionSpec;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.function.FunctionView;
import io.cloudfunc.contracts.function.HttpAccess;
import io.cloudfunc.contracts.messaging.FunctionChanged;
import io.cloudfunc.registry.RegistryProperties;
import io.cloudfunc.registry.build.DependencyBuilds;
import io.cloudfunc.registry.problem.RegistryProblems;
import io.cloudfunc.support.problem.ProblemException;
import io.cloudfunc.support.problem.Problems;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deploys, reads and deletes functions. A deploy is validated completely before anything is written, then stored
 * in one transaction; the {@link FunctionChanged} event it raises is sent only once that transaction committed.
 */
@Service
class FunctionService {

    private static final Logger log = LoggerFactory.getLogger(FunctionService.class);
    /** Two first deploys of one name race on the unique name: the loser retries and becomes version 2. */
    private static final int DEPLOY_ATTEMPTS = 3;
    private static final int MAX_WEBHOOK_SECRET = 256;
    /** The webhook secret is sealed as a one-entry map, the form {@link SecretsCipher} seals. */
    private static final String WEBHOOK_KEY = "webhookSecret";

    private final FunctionRepository functions;
    private final FunctionVersionRepository versions;
    private final FunctionSpecValidator specValidator;
    /** A zip without entries: its end-of-central-directory record alone. The code of an image function. */
    static final byte[] EMPTY_ZIP = {'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    private final ArchiveValidator archiveValidator;
    private final AliasRepository aliases;
    private final DependencyBuilds dependencyBuilds;
    private final SecretsCipher secrets;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transaction;
    private final long maxArchiveBytes;

    FunctionService(FunctionRepository functions, FunctionVersionRepository versions,
            FunctionSpecValidator specValidator, ArchiveValidator archiveValidator, AliasRepository aliases,
            SecretsCipher secrets, ApplicationEventPublisher events, PlatformTransactionManager transactionManager,
            RegistryProperties properties, DependencyBuilds dependencyBuilds) {
        this.dependencyBuilds = dependencyBuilds;
        this.aliases = aliases;
        this.secrets = secrets;
        this.functions = functions;
        this.versions = versions;
        this.specValidator = specValidator;
        this.archiveValidator = archiveValidator;
        this.events = events;
        this.transaction = new TransactionTemplate(transactionManager);
        this.maxArchiveBytes = properties.maxArchiveSize().toBytes();
    }

    /**
     * Stores {@code code} as the next version of the function {@code spec} names, creating it if needed. A function
     * of runtime {@code image} needs no code ({@code code} null or empty, or an empty zip): it is stored as an empty
     * zip, so every version still has an archive and a digest.
     *
     * @param dependencies the digest of the dependency build made for the code at deploy, null when none was
     */
    FunctionView deploy(FunctionSpec spec, byte[] code, String dependencies) {
        FunctionConfig config = specValidator.validate(spec);
        byte[] archive = checkedArchive(config, code, dependencies == null);
        checkBuild(dependencies);
        String sha256 = sha256(archive);
        for (int attempt = 1; ; attempt++) {
            try {
                FunctionView view = transaction.execute(status -> store(config, archive, sha256, spec, dependencies));
                log.info("Deployed function {} version {} ({} bytes, sha256 {})",
                        view.name(), view.latestVersion(), view.codeSize(), sha256);
                return view;
            } catch (DataIntegrityViolationException e) {
                if (attempt == DEPLOY_ATTEMPTS) {
                    throw e;
                }
                log.debug("Concurrent deploy of {} collided, retrying: {}", config.name(), e.getMessage());
            }
        }
    }

    /**
     * Checks a deploy as {@link #deploy} would (configuration, archive) and stores nothing: the gateway asks this
     * before it has the code loaded, so that what the registry refuses is said in the registry's words. Node
     * dependencies missing from the archive are not refused here: the gateway has them built next.
     */
    void validate(FunctionSpec spec, byte[] code) {
        checkedArchive(specValidator.validate(spec), code, false);
    }

    /** A deploy's dependency build must be stored already (by the container-manager that made it). */
    private void checkBuild(String dependencies) {
        if (dependencies != null && !dependencyBuilds.exists(dependencies)) {
            throw Problems.invalidRequest("no dependency build " + dependencies + " is stored")
                    .with("field", "dependencies");
        }
    }

    /**
     * The archive to store for {@code config}: {@code code} once checked (size, zip, handler file, node
     * dependencies), or the empty zip of an image function that came without code.
     *
     * @param nodeDependencies whether a node archive must hold the dependencies its package.json declares (it need
     *                         not when they were built at deploy)
     */
    private byte[] checkedArchive(FunctionConfig config, byte[] code, boolean nodeDependencies) {
        boolean image = "image".equals(config.runtime());
        if (image && (code == null || code.length == 0 || Arrays.equals(code, EMPTY_ZIP))) {
            return EMPTY_ZIP;
        }
        if (code == null) {
            throw Problems.invalidRequest("the code part with the function's zip archive is missing");
        }
        if (code.length > maxArchiveBytes) {
            throw Problems.payloadTooLarge("the code archive is larger than the limit of "
                    + RegistryProblems.describeSize(maxArchiveBytes));
        }
        archiveValidator.validate(code, ArchiveValidator.handlerFiles(config.runtime(), config.handler()),
                nodeDependencies && config.runtime().equals("node"));
        return code;
    }

    private FunctionView store(FunctionConfig config, byte[] code, String sha256, FunctionSpec spec,
            String dependencies) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        FunctionEntity function = functions.findByNameForUpdate(config.name())
                .orElseGet(() -> functions.saveAndFlush(new FunctionEntity(config, now)));
        changeHttpAccess(function, config.name(), spec);
        int version = function.getLatestVersion() + 1;
        versions.save(new FunctionVersionEntity(function.getId(), version, config, code, sha256,
                secrets.encrypt(config.name(), config.secrets()), dependencies, now, spec.deployDigest()));
        function.adopt(config, version, now);
        functions.flush();
        // the event brings the new version: schedulers and container-managers ready themselves for its first call
        // without asking for it
        events.publishEvent(new FunctionChanged(config.name(), FunctionChanged.Change.DEPLOYED, version,
                versions.findView(config.name(), version).orElse(null)));
        return functions.findViewByName(config.name()).orElseThrow();
    }

    /**
     * New configuration without new code: a new version with the latest version's code and the configuration that
     * version had, changed by the fields {@code changes} gives (the others are kept; {@code env} and {@code secrets},
     * when given, replace the whole map). Versions stay immutable: the old one is still there to roll back to.
     */
    FunctionView update(String name, FunctionSpec changes) {
        return update(name, changes, null, null);
    }

    /**
     * A new version as {@link #update(String, FunctionSpec)} makes it, with {@code code} (checked like a deploy's)
     * instead of the latest version's code when it is not null: a redeploy that keeps the configuration it does not
     * change. The new code comes with its own dependency build ({@code dependencies}, null for none); a version with
     * the latest version's code keeps that version's build.
     */
    FunctionView update(String name, FunctionSpec changes, byte[] code, String dependencies) {
        if (changes == null) {
            throw Problems.invalidRequest("the body must be a JSON object with the configuration to change");
        }
        if (changes.name() != null && !changes.name().equals(name)) {
            throw Problems.invalidRequest("the name in the body ('" + changes.name() + "') is not the function's ('"
                    + name + "'); a function cannot be renamed").with("functionName", name);
        }
        checkBuild(dependencies);
        FunctionView view = transaction.execute(status -> {
            FunctionEntity function = functions.findByNameForUpdate(name)
                    .orElseThrow(() -> RegistryProblems.functionNotFound(name));
            FunctionVersionEntity latest = versions.findByFunctionIdAndVersion(function.getId(),
                    function.getLatestVersion()).orElseThrow();
            RuntimeSettings current = latest.getSettings();
            FunctionSpec merged = new FunctionSpec(name,
                    or(changes.runtime(), current.runtime()),
                    changes.handler() != null || changes.runtime() == null ? or(changes.handler(), current.handler())
                            : null,
                    or(changes.timeoutMs(), current.timeoutMs()),
                    or(changes.memoryMb(), current.memoryMb()),
                    or(changes.cpuMillis(), current.cpuMillis()),
                    or(changes.idleTtlMs(), current.idleTtlMs()),
                    or(changes.env(), current.env()),
                    or(changes.minInstances(), current.minInstances()),
                    or(changes.maxInstances(), current.maxInstances()),
                    or(changes.concurrency(), current.concurrency()),
                    or(changes.network(), current.network()),
                    or(changes.ociRuntime(), current.ociRuntime()),
                    changes.image() != null || changes.runtime() == null ? or(changes.image(), current.image())
                            : null,
                    or(changes.maxRetries(), current.maxRetries()),
                    or(changes.retryBackoffMs(), current.retryBackoffMs()),
                    changes.secrets() != null ? changes.secrets() : secrets.decrypt(name, latest.getSecrets()));
            FunctionConfig config = specValidator.validate(merged);
            if (code != null) {
                byte[] archive = checkedArchive(config, code, dependencies == null);
                return store(config, archive, sha256(archive), changes, dependencies);
            }
            if (!config.runtime().equals(current.runtime()) || !config.handler().equals(current.handler())) {
                archiveValidator.validate(latest.getCode(),
                        ArchiveValidator.handlerFile(config.runtime(), config.handler()));
            }
            return store(config, latest.getCode(), latest.getCodeSha256(), changes, latest.getDependenciesDigest());
        });
        if (code != null) {
            log.info("Updated function {}: version {} with new code ({} bytes, sha256 {})", name,
                    view.latestVersion(), view.codeSize(), view.codeSha256());
        } else {
            log.info("Configured function {}: version {} (same code as version {})", name, view.latestVersion(),
                    view.latestVersion() - 1);
        }
        return view;
    }

    /**
     * A new latest version with the code and the configuration (secrets included) of an older one: a rollback that,
     * unlike moving an alias, changes what {@code name} alone runs. The configuration is checked again, as a deploy's
     * would be; who may call the function over HTTP is kept.
     */
    FunctionView redeploy(String name, int version) {
        FunctionView view = transaction.execute(status -> {
            FunctionEntity function = functions.findByNameForUpdate(name)
                    .orElseThrow(() -> RegistryProblems.functionNotFound(name));
            FunctionVersionEntity old = versions.findByFunctionIdAndVersion(function.getId(), version)
                    .orElseThrow(() -> RegistryProblems.versionNotFound(name, version));
            RuntimeSettings s = old.getSettings();
            FunctionSpec spec = new FunctionSpec(name, s.runtime(), s.handler(), s.timeoutMs(), s.memoryMb(),
                    s.cpuMillis(), s.idleTtlMs(), s.env(), s.minInstances(), s.maxInstances(), s.concurrency(),
                    s.network(), s.ociRuntime(), s.image(), s.maxRetries(), s.retryBackoffMs(),
                    secrets.decrypt(name, old.getSecrets()));
            return store(specValidator.validate(spec), old.getCode(), old.getCodeSha256(), spec,
                    old.getDependenciesDigest());
        });
        log.info("Redeployed function {} version {} as version {}", name, version, view.latestVersion());
        return view;
    }

    /**
     * Applies a deploy's or an update's {@code httpAccess} and {@code webhookSecret} (each kept when not given), and
     * checks the outcome: a known mode, and a secret for {@code webhook}.
     */
    private void changeHttpAccess(FunctionEntity function, String name, FunctionSpec spec) {
        String mode = spec.httpAccess();
        if (mode != null && !HttpAccess.MODES.contains(mode)) {
            throw Problems.invalidRequest("httpAccess must be one of " + String.join(", ", HttpAccess.MODES)
                    + ", not '" + mode + "'").with("field", "httpAccess");
        }
        String secret = spec.webhookSecret();
        if (secret != null && (secret.isEmpty() || secret.length() > MAX_WEBHOOK_SECRET)) {
            throw Problems.invalidRequest("webhookSecret must have 1 to " + MAX_WEBHOOK_SECRET + " characters")
                    .with("field", "webhookSecret");
        }
        function.changeHttpAccess(mode, secret == null ? null : secrets.encrypt(name, Map.of(WEBHOOK_KEY, secret)));
        if (HttpAccess.WEBHOOK.equals(function.getHttpAccess()) && function.getWebhookSecret() == null) {
            throw Problems.invalidRequest("httpAccess webhook needs a webhookSecret: the key callers sign the body "
                    + "with").with("field", "webhookSecret");
        }
    }

    /** Who may call the function over HTTP, the webhook secret decrypted: for the gateway only (internal API). */
    @Transactional(readOnly = true)
    HttpAccess httpAccess(String name) {
        FunctionEntity function = functions.findByName(name).orElseThrow(() -> RegistryProblems.functionNotFound(name));
        String secret = function.getWebhookSecret() == null ? null
                : secrets.decrypt(name, function.getWebhookSecret()).get(WEBHOOK_KEY);
        return new HttpAccess(function.getHttpAccess(),
                HttpAccess.WEBHOOK.equals(function.getHttpAccess()) ? secret : null);
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    @Transactional(readOnly = true)
    List<FunctionVersionView> versions(String name) {
        List<FunctionVersionView> all = versions.findViews(name);
        if (all.isEmpty()) {
            throw RegistryProblems.functionNotFound(name);
        }
        return all;
    }

    /**
     * The version a qualifier names: a number, an alias or {@code latest}. 404 problems name what is missing: the
     * function, the version or the alias.
     */
    @Transactional(readOnly = true)
    FunctionVersionView resolve(String name, String qualifier) {
        if (FunctionRefs.LATEST.equals(qualifier)) {
            FunctionView function = get(name);
            return version(name, function.latestVersion());
        }
        if (!qualifier.isEmpty() && Character.isDigit(qualifier.charAt(0))) {
            int number;
            try {
                number = Integer.parseInt(qualifier);
            } catch (NumberFormatException e) {
                throw Problems.invalidRequest("invalid version '" + qualifier + "': " + FunctionRefs.REF_RULE);
            }
            if (number < 1) {
                throw Problems.invalidRequest("invalid version '" + qualifier + "': versions start at 1");
            }
            return version(name, number);
        }
        if (!FunctionRefs.ALIAS.matcher(qualifier).matches()) {
            throw Problems.invalidRequest("invalid version or alias '" + qualifier + "': " + FunctionRefs.REF_RULE);
        }
        var alias = aliases.findView(name, qualifier).orElseThrow(() -> {
            get(name); // 404 for the function first
            return RegistryProblems.aliasNotFound(name, qualifier);
        });
        return version(name, alias.version());
    }

    /** The secrets of a version, decrypted: for the container-manager only (internal API). */
    @Transactional(readOnly = true)
    Map<String, String> secrets(String name, int version) {
        FunctionEntity function = functions.findByName(name).orElseThrow(() -> RegistryProblems.functionNotFound(name));
        FunctionVersionEntity entity = versions.findByFunctionIdAndVersion(function.getId(), version)
                .orElseThrow(() -> RegistryProblems.versionNotFound(name, version));
        return secrets.decrypt(name, entity.getSecrets());
    }

    @Transactional(readOnly = true)
    List<FunctionView> list() {
        return functions.findAllViews();
    }

    @Transactional(readOnly = true)
    FunctionView get(String name) {
        return functions.findViewByName(name).orElseThrow(() -> RegistryProblems.functionNotFound(name));
    }

    @Transactional
    void delete(String name) {
        if (functions.deleteByName(name) == 0) {
            throw RegistryProblems.functionNotFound(name);
        }
        events.publishEvent(new FunctionChanged(name, FunctionChanged.Change.DELETED, 0));
        log.info("Deleted function {}", name);
    }

    @Transactional(readOnly = true)
    FunctionVersionView version(String name, int version) {
        return versions.findView(name, version).orElseThrow(() -> notFound(name, version));
    }

    @Transactional(readOnly = true)
    VersionCode code(String name, int version) {
        return versions.findCode(name, version).orElseThrow(() -> notFound(name, version));
    }

    private ProblemException notFound(String name, int version) {
        return functions.findViewByName(name).isPresent()
                ? RegistryProblems.versionNotFound(name, version)
                : RegistryProblems.functionNotFound(name);
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
