package io.cloudfunc.registry.function;

import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Immutable;

/**
 * One deployed version: the configuration and code archive it was deployed with. Never changed once written;
 * deleted with its function (by the database's cascade). Read through projections that leave the code out, so that
 * listing versions never loads archives.
 */
@Entity
@Immutable
@Table(name = "function_versions")
class FunctionVersionEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "function_id", nullable = false)
    private long functionId;

    @Column(nullable = false)
    private int version;

    @Embedded
    private RuntimeSettings settings;

    @Column(nullable = false)
    private byte[] code;

    @Column(name = "code_sha256", nullable = false)
    private String codeSha256;

    @Column(name = "code_size", nullable = false)
    private long codeSize;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    /** The dependency build installed beside the code ({@code dependency_builds}); null when there is none. */
    @Column(name = "dependencies_digest")
    private String dependenciesDigest;

    /** The version's secrets, encrypted ({@link SecretsCipher}); null when it has none. */
    private byte[] secrets;

    /** The deploying tool's digest of what it deployed ({@code FunctionSpec.deployDigest}); null when none was given. */
    @Column(name = "deploy_digest")
    private String deployDigest;

    protected FunctionVersionEntity() {
    }

    FunctionVersionEntity(long functionId, int version, FunctionConfig config, byte[] code, String codeSha256,
            byte[] secrets, String dependenciesDigest, Instant createdAt, String deployDigest) {
        this.secrets = secrets;
        this.dependenciesDigest = dependenciesDigest;
        this.deployDigest = deployDigest;
        this.functionId = functionId;
        this.version = version;
        this.settings = RuntimeSettings.of(config);
        this.code = code;
        this.codeSha256 = codeSha256;
        this.codeSize = code.length;
        this.createdAt = createdAt;
    }

    RuntimeSettings getSettings() {
        return settings;
    }

    byte[] getCode() {
        return code;
    }

    String getCodeSha256() {
        return codeSha256;
    }

    String getDependenciesDigest() {
        return dependenciesDigest;
    }

    byte[] getSecrets() {
        return secrets;
    }
}
