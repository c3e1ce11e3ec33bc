package io.cloudfunc.cli;

import io.cloudfunc.cli.StackFile.StackFunction;
import io.cloudfunc.contracts.function.FunctionSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * What a {@code cloudfunc.yml} deploy sends with each function ({@link FunctionSpec#deployDigest()}) and finds again
 * on the platform ({@code deployDigest} of {@code GET /functions}): {@code cf1:CODE:CONFIGURATION}, two SHA-256 in hex.
 * A function whose digest there is the one its declaration gives now is left alone.
 *
 * <ul>
 *   <li>CODE: the folder's files as the archive would hold them, names and contents ({@link Archives#contentSha256}),
 *       not their times; a .zip / .jar's bytes; {@code none} for an image function without code.</li>
 *   <li>CONFIGURATION: the declared settings as sent (a setting left out is part of it as left out), and the
 *       secrets. The platform shows this digest to anyone who may read the function, so the secrets enter it only
 *       through PBKDF2 (salted with the function's name, {@value #SECRET_ITERATIONS} rounds, some 70 ms in the CLI's
 *       quick-starting JVM): every guess at a weak secret costs as much.</li>
 * </ul>
 */
final class DeployDigest {

    static final String PREFIX = "cf1:";
    static final int SECRET_ITERATIONS = 20_000;

    private DeployDigest() {
    }

    static String of(StackFunction function) {
        return PREFIX + code(function.folder()) + ":" + configuration(function.spec());
    }

    static String code(Path folder) {
        if (folder == null) {
            return "none";
        }
        if (!Files.isRegularFile(folder)) {
            return Archives.contentSha256(folder);
        }
        var digest = Archives.sha256();
        try (InputStream in = Files.newInputStream(folder)) {
            byte[] chunk = new byte[64 * 1024];
            for (int n = in.read(chunk); n > 0; n = in.read(chunk)) {
                digest.update(chunk, 0, n);
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read " + folder + ": " + CliException.reason(e));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String configuration(FunctionSpec spec) {
        Map<String, Object> settings = new TreeMap<>();
        settings.put("name", spec.name());
        settings.put("runtime", spec.runtime());
        settings.put("handler", spec.handler());
        settings.put("timeoutMs", spec.timeoutMs());
        settings.put("memoryMb", spec.memoryMb());
        settings.put("cpuMillis", spec.cpuMillis());
        settings.put("idleTtlMs", spec.idleTtlMs());
        settings.put("env", spec.env() == null ? null : new TreeMap<>(spec.env()));
        settings.put("minInstances", spec.minInstances());
        settings.put("maxInstances", spec.maxInstances());
        settings.put("concurrency", spec.concurrency());
        settings.put("network", spec.network());
        settings.put("ociRuntime", spec.ociRuntime());
        settings.put("image", spec.image());
        settings.put("maxRetries", spec.maxRetries());
        settings.put("retryBackoffMs", spec.retryBackoffMs());
        settings.put("httpAccess", spec.httpAccess());
        settings.put("secrets", secrets(spec));
        byte[] canonical = GatewayClient.JSON.writeValueAsBytes(settings);
        return HexFormat.of().formatHex(Archives.sha256().digest(canonical));
    }

    /** The secrets and the webhook secret through PBKDF2; null when there are none. */
    private static String secrets(FunctionSpec spec) {
        if ((spec.secrets() == null || spec.secrets().isEmpty()) && spec.webhookSecret() == null) {
            return null;
        }
        Map<String, Object> secrets = new TreeMap<>();
        secrets.put("secrets", spec.secrets() == null ? null : new TreeMap<>(spec.secrets()));
        secrets.put("webhookSecret", spec.webhookSecret());
        char[] password = GatewayClient.JSON.writeValueAsString(secrets).toCharArray();
        byte[] salt = ("cloudfunc.yml secrets of " + spec.name()).getBytes(StandardCharsets.UTF_8);
        try {
            var key = new PBEKeySpec(password, salt, SECRET_ITERATIONS, 256);
            return HexFormat.of().formatHex(SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(key).getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has PBKDF2WithHmacSHA256", e);
        }
    }

    /** Why a function whose platform digest is {@code current} (null: none) is deployed again, or null if it is not. */
    static String change(String current, String wanted) {
        if (wanted.equals(current)) {
            return null;
        }
        if (current == null || !current.startsWith(PREFIX)) {
            return "last deployed without this file (or changed since by hand)";
        }
        String[] was = current.split(":");
        String[] now = wanted.split(":");
        if (was.length != 3) {
            return "last deployed by another version of the CLI";
        }
        boolean code = !was[1].equals(now[1]);
        boolean configuration = !was[2].equals(now[2]);
        return code && configuration ? "code and configuration changed" : code ? "code changed"
                : "configuration changed";
    }
}
