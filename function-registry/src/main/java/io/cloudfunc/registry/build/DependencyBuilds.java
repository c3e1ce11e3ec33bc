package io.cloudfunc.registry.build;

import io.cloudfunc.contracts.function.DependencyBuildView;
import io.cloudfunc.registry.RegistryProperties;
import io.cloudfunc.registry.problem.RegistryProblems;
import io.cloudfunc.support.problem.Problems;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Stores and reads dependency builds; the function package asks whether a deploy's build exists. */
@Service
public class DependencyBuilds {

    private static final Logger log = LoggerFactory.getLogger(DependencyBuilds.class);
    private static final Pattern DIGEST = Pattern.compile("^[0-9a-f]{64}$");
    private static final Set<String> RUNTIMES = Set.of("python", "node");

    private final DependencyBuildRepository builds;
    private final long maxArchiveBytes;

    DependencyBuilds(DependencyBuildRepository builds, RegistryProperties properties) {
        this.builds = builds;
        this.maxArchiveBytes = properties.maxUnpackedSize().toBytes();
    }

    /** Whether {@code digest} names a stored build (a malformed digest names none). */
    @Transactional(readOnly = true)
    public boolean exists(String digest) {
        return isDigest(digest) && builds.existsById(digest);
    }

    public static boolean isDigest(String digest) {
        return digest != null && DIGEST.matcher(digest).matches();
    }

    @Transactional(readOnly = true)
    Optional<DependencyBuildView> view(String digest) {
        return isDigest(digest) ? builds.findView(digest) : Optional.empty();
    }

    @Transactional(readOnly = true)
    Optional<byte[]> archive(String digest) {
        return isDigest(digest) ? builds.findArchive(digest) : Optional.empty();
    }

    /**
     * Stores a build under its digest, unless one is there already (its twin, built by another manager meanwhile).
     *
     * @return the stored build's view
     */
    @Transactional
    DependencyBuildView store(String digest, String runtime, long buildMs, byte[] archive) {
        if (!isDigest(digest)) {
            throw Problems.invalidRequest("a build's digest is 64 lowercase hexadecimal digits").with("field", "digest");
        }
        if (runtime == null || !RUNTIMES.contains(runtime)) {
            throw Problems.invalidRequest("a build's runtime is python or node").with("field", "runtime");
        }
        if (buildMs < 0) {
            throw Problems.invalidRequest("a build's buildMs is >= 0").with("field", "buildMs");
        }
        if (archive == null || archive.length < 4 || archive[0] != 'P' || archive[1] != 'K') {
            throw Problems.invalidRequest("a build's body is its output as a zip archive");
        }
        if (archive.length > maxArchiveBytes) {
            throw Problems.payloadTooLarge("a build's archive is larger than the limit of "
                    + RegistryProblems.describeSize(maxArchiveBytes));
        }
        int inserted = builds.insertIfAbsent(digest, runtime, archive, sha256(archive), archive.length, buildMs,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        if (inserted > 0) {
            log.info("Stored dependency build {} ({}, {} bytes, built in {} ms)", digest.substring(0, 12), runtime,
                    archive.length, buildMs);
        }
        return builds.findView(digest).orElseThrow();
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
