package io.cloudfunc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** login, keys create|list|revoke and API key handling, against a stand-in gateway on loopback. */
class AuthCommandsTests {

    private static final String ADMIN = "cf_admin-secret-0123456789abcdef";
    private static final String KEY_ID = "0b6f3c8e-2f0e-4f5b-9d7c-1a2b3c4d5e6f";

    @TempDir
    Path home;

    private HttpServer gateway;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void startGateway() throws Exception {
        gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.createContext("/", exchange -> {
            String route = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(route + " -> " + authorization);
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            int status;
            String json;
            if (!("Bearer " + ADMIN).equals(authorization)) {
                status = 401;
                json = problem(401, "unauthorized", "The API key is not valid.");
            } else {
                switch (route) {
                    case "GET /keys/current" -> {
                        status = 200;
                        json = "{\"id\":\"" + KEY_ID + "\",\"name\":\"bootstrap\",\"role\":\"admin\"}";
                    }
                    case "POST /keys" -> {
                        status = 201;
                        json = "{\"key\":{\"id\":\"" + KEY_ID + "\",\"name\":\"ci\",\"role\":\"developer\","
                                + "\"prefix\":\"cf_Zyx\"},\"secret\":\"cf_Zyx-the-new-secret\"}";
                    }
                    case "GET /keys" -> {
                        status = 200;
                        json = "[{\"id\":\"" + KEY_ID + "\",\"name\":\"ci\",\"role\":\"developer\",\"prefix\":"
                                + "\"cf_Zyx\",\"createdAt\":\"2026-01-01T00:00:00Z\"},{\"id\":\"1b6f3c8e-2f0e-4f5b-9d7c-"
                                + "1a2b3c4d5e6f\",\"name\":\"old\",\"role\":\"invoker\",\"prefix\":\"cf_Abc\","
                                + "\"revokedAt\":\"2026-01-02T00:00:00Z\"}]";
                    }
                    case "DELETE /keys/" + KEY_ID -> {
                        status = 200;
                        json = "{\"id\":\"" + KEY_ID + "\",\"name\":\"ci\",\"revokedAt\":\"2026-01-03T00:00:00Z\"}";
                    }
                    case "GET /functions/forbidden" -> {
                        status = 403;
                        json = problem(403, "forbidden", "The API key 'ci' has role invoker.");
                    }
                    case "GET /functions/busy" -> {
                        status = 429;
                        json = problem(429, "rate-limited", "The API key 'ci' is over its rate limit; retry in 1 s.");
                    }
                    default -> {
                        status = 404;
                        json = problem(404, "not-found", "No such path.");
                    }
                }
            }
            exchange.getResponseHeaders().add("Content-Type",
                    status >= 400 ? "application/problem+json" : "application/json");
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        gateway.start();
        env.put("XDG_CONFIG_HOME", home.resolve("xdg").toString());
    }

    @AfterEach
    void stopGateway() {
        gateway.stop(0);
    }

    private static String problem(int status, String type, String detail) {
        return "{\"type\":\"urn:cloudfunc:problem:" + type + "\",\"status\":" + status + ",\"detail\":\"" + detail
                + "\"}";
    }

    private String url() {
        return "http://127.0.0.1:" + gateway.getAddress().getPort();
    }

    record Run(int code, String out, String err) {
    }

    private Run run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var cmd = CloudFuncCli.commandLine(args);
        ((CloudFuncCli) cmd.getCommand()).env = env;
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        return new Run(cmd.execute(args), out.toString(), err.toString());
    }

    @Test
    void loginChecksTheKeyAndSavesItPrivatelyForLaterCommands() throws Exception {
        Run login = run("login", "--url", url(), "--api-key", ADMIN);

        assertThat(login.code()).as(login.err()).isZero();
        assertThat(login.out()).contains("Logged in to " + url() + " as bootstrap (role admin)");
        Path config = home.resolve("xdg/cloudfunc/config.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config.getParent())))
                .isEqualTo("rwx------");
        JsonNode saved = GatewayClient.JSON.readTree(Files.readAllBytes(config));
        assertThat(saved.path("url").asString()).isEqualTo(url());
        assertThat(saved.path("apiKey").asString()).isEqualTo(ADMIN);

        // later commands take both from the file
        Run list = run("keys", "list");
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(authorizations.getLast()).isEqualTo("GET /keys -> Bearer " + ADMIN);
    }

    @Test
    void savesUnderTheHomeTheEnvironmentNamesWithoutXdgConfigHome() {
        // ~ as the shell means it: $HOME, not the passwd entry Java's user.home comes from
        env.remove("XDG_CONFIG_HOME");
        env.put("HOME", home.resolve("someone").toString());

        Run login = run("login", "--url", url(), "--api-key", ADMIN);

        assertThat(login.code()).as(login.err()).isZero();
        assertThat(home.resolve("someone/.config/cloudfunc/config.json")).isRegularFile();
        assertThat(run("keys", "list").code()).isZero();
        assertThat(authorizations.getLast()).isEqualTo("GET /keys -> Bearer " + ADMIN);
    }

    @Test
    void loginRefusesAKeyTheGatewayRejectsAndSavesNothing() {
        Run login = run("login", "--url", url(), "--api-key", "cf_wrong-key-0123456789abcdef");

        assertThat(login.code()).isEqualTo(8);
        assertThat(login.err()).isEqualTo("Error: The API key is not valid.\n");
        assertThat(home.resolve("xdg/cloudfunc/config.json")).doesNotExist();
    }

    @Test
    void loginWithKeepSavedSavesAKeyWhereNoneIsSaved() throws Exception {
        Run login = run("login", "--url", url(), "--api-key", ADMIN, "--keep-saved");

        assertThat(login.code()).as(login.err()).isZero();
        assertThat(login.out()).contains("Logged in to " + url() + " as bootstrap (role admin)");
        Path config = home.resolve("xdg/cloudfunc/config.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        assertThat(GatewayClient.JSON.readTree(Files.readAllBytes(config)).path("apiKey").asString()).isEqualTo(ADMIN);
    }

    @Test
    void loginWithKeepSavedLeavesASavedKeyAloneAndAsksNothing() throws Exception {
        Path config = home.resolve("xdg/cloudfunc/config.json");
        new CliConfig("http://gateway.example:8000", "cf_the-users-own-key").save(config);
        byte[] before = Files.readAllBytes(config);
        authorizations.clear();

        Run login = run("login", "--url", url(), "--api-key", ADMIN, "--keep-saved");

        assertThat(login.code()).as(login.err()).isZero();
        assertThat(login.out()).isEqualTo("Kept the login saved in " + config
                + " (a key for http://gateway.example:8000)\n");
        assertThat(Files.readAllBytes(config)).isEqualTo(before);
        assertThat(authorizations).isEmpty();
    }

    @Test
    void neverSendsASavedKeyToAnotherGateway() {
        assertThat(run("login", "--url", url(), "--api-key", ADMIN).code()).isZero();
        String elsewhere = "http://localhost:" + gateway.getAddress().getPort();

        Run run = run("--url", elsewhere, "keys", "list");

        assertThat(run.code()).isEqualTo(8);
        assertThat(authorizations.getLast()).isEqualTo("GET /keys -> null");
        assertThat(run.err()).contains("no API key given");
    }

    @Test
    void takesTheKeyFromTheEnvironment() {
        env.put("CLOUDFUNC_API_KEY", ADMIN);
        env.put("CLOUDFUNC_URL", url());

        assertThat(run("keys", "list").code()).isZero();
        assertThat(authorizations.getLast()).isEqualTo("GET /keys -> Bearer " + ADMIN);
    }

    @Test
    void keysCreatePrintsTheSecretOnceAndSendsTheRequest() {
        Run run = run("--url", url(), "--api-key", ADMIN, "keys", "create", "--name", "ci", "--role", "Developer",
                "--expires-in", "30d", "--rate-limit", "5");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("Created API key " + KEY_ID + " (ci, role developer")
                .contains("shown only this once").contains("cf_Zyx-the-new-secret");
        JsonNode sent = GatewayClient.JSON.readTree(bodies.getLast());
        assertThat(sent.path("role").asString()).isEqualTo("developer");
        assertThat(sent.path("expiresAt").asString()).isNotBlank();
        assertThat(sent.path("rateLimit").path("requestsPerSecond").asInt()).isEqualTo(5);
        assertThat(sent.path("rateLimit").path("burst").asInt()).isEqualTo(5);
    }

    @Test
    void keysCreateRefusesABadRoleOrDurationBeforeAnyRequest() {
        Run role = run("--url", url(), "--api-key", ADMIN, "keys", "create", "--name", "x", "--role", "root");
        Run expiry = run("--url", url(), "--api-key", ADMIN, "keys", "create", "--name", "x", "--role", "admin",
                "--expires-in", "soon");

        assertThat(role.code()).isEqualTo(2);
        assertThat(role.err()).startsWith("Error: invalid --role 'root'");
        assertThat(expiry.code()).isEqualTo(2);
        assertThat(authorizations).isEmpty();
    }

    @Test
    void keysListShowsStatusesAndNoSecretsInTableAndJson() {
        Run table = run("--url", url(), "--api-key", ADMIN, "keys", "list");
        Run json = run("--url", url(), "--api-key", ADMIN, "-o", "json", "keys", "list");

        assertThat(table.out()).contains("ID").contains("STATUS").contains("active").contains("revoked")
                .contains("cf_Zyx").doesNotContain("secret");
        assertThat(GatewayClient.JSON.readTree(json.out()).size()).isEqualTo(2);
    }

    @Test
    void keysRevokeNamesTheKey() {
        Run run = run("--url", url(), "--api-key", ADMIN, "keys", "revoke", KEY_ID);
        Run bad = run("--url", url(), "--api-key", ADMIN, "keys", "revoke", "nope");

        assertThat(run.code()).isZero();
        assertThat(run.out()).isEqualTo("Revoked API key " + KEY_ID + " (ci)\n");
        assertThat(bad.code()).isEqualTo(2);
    }

    @Test
    void mapsAuthProblemsToTheirExitCodes() {
        assertThat(run("--url", url(), "describe", "hello").code()).isEqualTo(8);
        Run forbidden = run("--url", url(), "--api-key", ADMIN, "describe", "forbidden");
        assertThat(forbidden.code()).isEqualTo(9);
        assertThat(forbidden.err()).isEqualTo("Error: The API key 'ci' has role invoker.\n");
        assertThat(run("--url", url(), "--api-key", ADMIN, "describe", "busy").code()).isEqualTo(10);
    }

    @Test
    void refusesAKeyThatCannotBeSentInAHeader() {
        Run run = run("--url", url(), "--api-key", "has space in it", "keys", "list");
        assertThat(run.code()).isEqualTo(2);
        assertThat(authorizations).isEmpty();
    }
}
