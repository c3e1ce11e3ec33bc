package io.cloudfunc.registry.function;

import io.cloudfunc.contracts.function.FunctionSpec;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.function.FunctionView;
import io.cloudfunc.contracts.messaging.FunctionChanged;
import io.cloudfunc.registry.RegistryProperties;
import io.cloudfunc.registry.problem.RegistryProblems;
import io.cloudfunc.support.problem.ProblemException;
import io.cloudfunc.support.problem.Problems;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
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

    private final FunctionRepository functions;
    private final FunctionVersionRepository versions;
    private final FunctionSpecValidator specValidator;
    private final ArchiveValidator archiveValidator;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transaction;
    private final long maxArchiveBytes;

    FunctionService(FunctionRepository functions, FunctionVersionRepository versions,
            FunctionSpecValidator specValidator, ArchiveValidator archiveValidator, ApplicationEventPublisher events,
            PlatformTransactionManager transactionManager, RegistryProperties properties) {
        this.functions = functions;
        this.versions = versions;
        this.specValidator = specValidator;
        this.archiveValidator = archiveValidator;
        this.events = events;
        this.transaction = new TransactionTemplate(transactionManager);
        this.maxArchiveBytes = properties.maxArchiveSize().toBytes();
    }

    /** Stores {@code code} as the next version of the function {@code spec} names, creating it if needed. */
    FunctionView deploy(FunctionSpec spec, byte[] code) {
        FunctionConfig config = specValidator.validate(spec);
        if (code.length > maxArchiveBytes) {
            throw Problems.payloadTooLarge(
                    "the code archive is larger than the limit of " + RegistryProblems.describeSize(maxArchiveBytes));
        }
        archiveValidator.validate(code, ArchiveValidator.handlerFile(config.runtime(), config.handler()));
        String sha256 = sha256(code);
        for (int attempt = 1; ; attempt++) {
            try {
                FunctionView view = transaction.execute(status -> store(config, code, sha256));
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

    private FunctionView store(FunctionConfig config, byte[] code, String sha256) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        FunctionEntity function = functions.findByNameForUpdate(config.name())
                .orElseGet(() -> functions.saveAndFlush(new FunctionEntity(config, now)));
        int version = function.getLatestVersion() + 1;
        versions.save(new FunctionVersionEntity(function.getId(), version, config, code, sha256, now));
        function.adopt(config, version, now);
        functions.flush();
        events.publishEvent(new FunctionChanged(config.name(), FunctionChanged.Change.DEPLOYED, version));
        return functions.findViewByName(config.name()).orElseThrow();
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
