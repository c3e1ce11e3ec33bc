package io.cloudfunc.registry.function;

import io.cloudfunc.contracts.function.HttpAccess;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A function: its current configuration (that of its latest version) and the number of that version. */
@Entity
@Table(name = "functions")
class FunctionEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true, updatable = false)
    private String name;

    @Embedded
    private RuntimeSettings settings;

    @Column(name = "latest_version", nullable = false)
    private int latestVersion;

    /** Who may call it as an HTTP function: {@code key}, {@code public} or {@code webhook}. */
    @Column(name = "http_access", nullable = false)
    private String httpAccess = HttpAccess.KEY;

    /** The webhook secret, encrypted ({@link SecretsCipher}); null when none was given. */
    @Column(name = "webhook_secret")
    private byte[] webhookSecret;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected FunctionEntity() {
    }

    /** A new function, with no version yet: the deploy that creates it adopts its first version at once. */
    FunctionEntity(FunctionConfig config, Instant createdAt) {
        this.name = config.name();
        this.createdAt = createdAt;
        adopt(config, 0, createdAt);
    }

    /** Takes the configuration of a newly stored version and makes it the latest. */
    void adopt(FunctionConfig config, int version, Instant now) {
        this.settings = RuntimeSettings.of(config);
        this.latestVersion = version;
        this.updatedAt = now;
    }

    /**
     * Changes who may call the function over HTTP; null arguments keep what is there.
     *
     * @param encryptedSecret the new webhook secret, sealed by {@link SecretsCipher}
     */
    void changeHttpAccess(String mode, byte[] encryptedSecret) {
        if (mode != null) {
            this.httpAccess = mode;
        }
        if (encryptedSecret != null) {
            this.webhookSecret = encryptedSecret;
        }
    }

    String getHttpAccess() {
        return httpAccess;
    }

    byte[] getWebhookSecret() {
        return webhookSecret;
    }

    Long getId() {
        return id;
    }

    String getName() {
        return name;
    }

    int getLatestVersion() {
        return latestVersion;
    }
}
