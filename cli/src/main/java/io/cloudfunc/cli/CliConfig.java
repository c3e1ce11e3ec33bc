package io.cloudfunc.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The user's CLI settings, written by {@code cloudfunc login}: the gateway URL and the API key for it, in
 * {@code $XDG_CONFIG_HOME/cloudfunc/config.json} (default {@code ~/.config/cloudfunc/config.json}), or the file named
 * by {@code --config} / {@code CLOUDFUNC_CONFIG}. The file holds a secret: it is created with mode 0600 in a
 * directory of mode 0700, and replaced atomically.
 *
 * @param url    the gateway URL the key belongs to, or null
 * @param apiKey the API key, or null
 */
record CliConfig(String url, String apiKey) {

    static final CliConfig EMPTY = new CliConfig(null, null);

    /**
     * Where the settings live: {@code explicit} if given, else CLOUDFUNC_CONFIG, else the XDG location: under
     * {@code $XDG_CONFIG_HOME}, else {@code $HOME/.config} as the shell's {@code ~} means it (Java's
     * {@code user.home} is the passwd entry's, which a changed {@code HOME} does not move), else under
     * {@code user.home}.
     */
    static Path location(String explicit, Map<String, String> env) {
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String named = env.get("CLOUDFUNC_CONFIG");
        if (named != null && !named.isBlank()) {
            return Path.of(named);
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        String home = env.get("HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                : Path.of(home != null && !home.isBlank() && Path.of(home).isAbsolute() ? home
                        : System.getProperty("user.home"), ".config");
        return base.resolve("cloudfunc").resolve("config.json");
    }

    /** The settings in {@code file}; none when it does not exist. */
    static CliConfig load(Path file) {
        if (!Files.exists(file)) {
            return EMPTY;
        }
        try {
            JsonNode node = GatewayClient.JSON.readTree(Files.readAllBytes(file));
            return new CliConfig(text(node, "url"), text(node, "apiKey"));
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read the config file " + file + ": "
                    + CliException.reason(e));
        } catch (RuntimeException e) {
            throw new CliException(ExitCodes.USAGE, "the config file " + file
                    + " is not valid JSON; run 'cloudfunc login' again or fix it");
        }
    }

    /** Writes the settings: 0600 from the first byte (a temporary file moved into place), directory 0700. */
    void save(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                try {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                } catch (FileAlreadyExistsException e) {
                    throw new CliException(ExitCodes.USAGE, dir + " exists and is not a directory");
                }
            }
            if (Files.isSymbolicLink(file)) {
                throw new CliException(ExitCodes.USAGE, "the config file " + file
                        + " is a symbolic link; refusing to write a secret through it");
            }
            Path temp = Files.createTempFile(dir, ".config-", ".json",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                var node = GatewayClient.JSON.createObjectNode();
                node.put("url", url);
                node.put("apiKey", apiKey);
                Files.write(temp, GatewayClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
            if (Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS).size() != 2) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot write the config file " + file + ": "
                    + CliException.reason(e));
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() && !value.asString().isBlank() ? value.asString() : null;
    }
}
