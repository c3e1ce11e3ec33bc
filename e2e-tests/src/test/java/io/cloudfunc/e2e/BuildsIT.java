package io.cloudfunc.e2e;

import static io.cloudfunc.e2e.Api.get;
import static io.cloudfunc.e2e.Api.post;
import static io.cloudfunc.e2e.Api.send;
import static io.cloudfunc.e2e.Api.zip;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Dependencies built at deploy (docs/api.md, "Dependencies"): a Python function's requirements.txt installed from a
 * wheelhouse this test serves on the build network (wheels it builds with {@code pip wheel} from a small source
 * package of its own: PyPI is not reachable here), a Node function's package.json installed from the npm registry,
 * the same set reused by seed 002's {@code dependencies} list, a build that fails refused with pip's own words.
 */
@ExtendWith(SharedPlatform.class)
class BuildsIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The build network the platform's container-manager uses (its default, containers.builds.network). */
    private static final String BUILD_NETWORK = "cloudfunc-builds";
    private static final String ID = UUID.randomUUID().toString().substring(0, 8);
    private static final String WHEELHOUSE = "cf-e2e-wheels-" + ID;
    private static final String WHEELHOUSE_IMAGE = "cloudfunc-e2e/wheelhouse:" + ID;
    /** The function's own index, in its requirements (pip trusts a plain-http index only when told). */
    private static final List<String> INDEX = List.of("--index-url http://" + WHEELHOUSE + ":8080/simple/",
            "--trusted-host " + WHEELHOUSE);
    private static final String REQUIREMENTS = String.join("\n", INDEX) + "\ncloudfunc-greet==0.1.0\n";
    private static final String GREET_FUNCTION = """
            import cloudfunc_greet

            def handler(event, context):
                return {"greeting": cloudfunc_greet.hello(event["name"])}
            """;

    /**
     * Builds the wheelhouse image (the platform's Python runtime image plus setuptools: the wheel of a local source
     * package built by {@code pip wheel}, laid out as a simple index) and runs it on the build network.
     */
    @BeforeAll
    static void serveWheelhouse() throws Exception {
        Path context = Files.createTempDirectory("cf-e2e-wheelhouse-");
        Path source = Files.createDirectories(context.resolve("greet/cloudfunc_greet"));
        Files.writeString(source.resolve("__init__.py"), "def hello(name):\n    return 'Hello, ' + name + '!'\n");
        Files.writeString(context.resolve("greet/pyproject.toml"), """
                [build-system]
                requires = ["setuptools"]
                build-backend = "setuptools.build_meta"

                [project]
                name = "cloudfunc-greet"
                version = "0.1.0"
                """);
        String pythonImage = System.getProperty("cloudfunc.e2e.python-image", "");
        Files.writeString(context.resolve("Dockerfile"), "FROM " + (pythonImage.isBlank()
                ? "cloudfunc/runtime-python:latest" : pythonImage) + "\n"
                + "USER root\n"
                + "RUN apt-get update -q && apt-get install -y -q --no-install-recommends python3-pip python3-setuptools"
                + " >/dev/null && rm -rf /var/lib/apt/lists/*\n"
                + "COPY greet /src\n"
                + "RUN python3 -m pip wheel --no-deps --no-build-isolation --no-index -w /wheelhouse/simple/cloudfunc-greet"
                + " /src\n"
                + "USER 10001:10001\n"
                + "ENTRYPOINT [\"python3\", \"-m\", \"http.server\", \"8080\", \"--directory\", \"/wheelhouse\"]\n");
        docker(Duration.ofMinutes(5), "build", "-q", "--network", "host", "-t", WHEELHOUSE_IMAGE, context.toString());
        // the manager creates the network on its first build; made here first so that the wheelhouse can join it
        if (dockerQuiet("network", "inspect", BUILD_NETWORK) != 0) {
            dockerQuiet("network", "create", "--label", "io.cloudfunc.managed=true", BUILD_NETWORK);
        }
        docker(Duration.ofMinutes(1), "run", "-d", "--name", WHEELHOUSE, "--network", BUILD_NETWORK, WHEELHOUSE_IMAGE);
    }

    @AfterAll
    static void stopWheelhouse() throws Exception {
        dockerQuiet("rm", "-f", WHEELHOUSE);
        dockerQuiet("rmi", WHEELHOUSE_IMAGE);
    }

    @Test
    void aPythonRequirementsFileIsInstalledAtDeployAndTheSameSetIsBuiltOnce() throws Exception {
        String buildId = UUID.randomUUID().toString();
        HttpResponse<String> deployed = deploy(buildId, "{\"name\":\"build_greet\",\"runtime\":\"python\","
                + "\"handler\":\"function.handler\"}", zip(Map.of("function.py", GREET_FUNCTION,
                "requirements.txt", REQUIREMENTS)));

        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
        assertThat(invoke("build_greet", "{\"name\":\"Alice\"}").path("greeting").asString()).isEqualTo("Hello, Alice!");
        JsonNode version = JSON.readTree(get("/functions/build_greet/versions").body()).get(0);
        String digest = version.path("dependenciesDigest").asString();
        assertThat(digest).hasSize(64);
        assertThat(version.path("dependenciesBuildMs").asLong()).isPositive();
        JsonNode log = JSON.readTree(get("/builds/" + buildId + "/log").body());
        assertThat(log.path("done").asBoolean()).isTrue();
        assertThat(lines(log)).anyMatch(line -> line.contains("Successfully installed cloudfunc-greet-0.1.0"))
                .anyMatch(line -> line.startsWith("Built in "));

        // seed 002's dependencies list saying the same: the build is reused, not run again
        String reuseId = UUID.randomUUID().toString();
        HttpResponse<String> inline = send(HttpRequest.newBuilder(Api.uri("/functions?buildId=" + reuseId))
                .header("Content-Type", "application/json").timeout(Duration.ofMinutes(5))
                .POST(BodyPublishers.ofString(JSON.writeValueAsString(Map.of("name", "build_greet_seed", "code",
                        GREET_FUNCTION, "config", Map.of("dependencies", List.of(INDEX.get(0), INDEX.get(1),
                        "cloudfunc-greet==0.1.0")))))));
        assertThat(inline.statusCode()).as(inline.body()).isEqualTo(201);
        JsonNode reused = JSON.readTree(get("/functions/build_greet_seed/versions").body()).get(0);
        assertThat(reused.path("dependenciesDigest").asString()).isEqualTo(digest);
        assertThat(reused.path("dependenciesBuildMs").asLong()).isEqualTo(version.path("dependenciesBuildMs").asLong());
        assertThat(lines(JSON.readTree(get("/builds/" + reuseId + "/log").body())))
                .anyMatch(line -> line.contains("reused"));
        assertThat(invoke("build_greet_seed", "{\"name\":\"Bob\"}").path("greeting").asString())
                .isEqualTo("Hello, Bob!");
    }

    @Test
    void aBuildThatFailsIsA400QuotingPipAndNothingIsDeployed() throws Exception {
        HttpResponse<String> refused = deploy(UUID.randomUUID().toString(), "{\"name\":\"build_broken\","
                + "\"runtime\":\"python\",\"handler\":\"function.handler\"}", zip(Map.of("function.py", GREET_FUNCTION,
                "requirements.txt", String.join("\n", INDEX) + "\ncloudfunc-greet==9.9.9\n")));

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        JsonNode problem = JSON.readTree(refused.body());
        assertThat(problem.path("type").asString()).isEqualTo("urn:cloudfunc:problem:build-failed");
        assertThat(problem.path("detail").asString()).contains("pip failed")
                .contains("No matching distribution found for cloudfunc-greet==9.9.9");
        assertThat(lines(problem.path("log"))).anyMatch(line -> line.contains("cloudfunc-greet==9.9.9"));
        assertThat(refused.body()).doesNotContain("/cloudfunc/").doesNotContain("/internal");
        assertThat(get("/functions/build_broken").statusCode()).isEqualTo(404);
    }

    @Test
    void aNodePackageJsonWithoutNodeModulesIsInstalledFromNpmAtDeploy() throws Exception {
        HttpResponse<String> deployed = deploy(UUID.randomUUID().toString(), "{\"name\":\"build_isnumber\","
                + "\"runtime\":\"node\",\"handler\":\"index.handler\"}", zip(Map.of(
                "index.js", "const isNumber = require('is-number');\n"
                        + "exports.handler = async (event) => ({ number: isNumber(event.value) });\n",
                "package.json", "{\"name\":\"isnumber-fn\",\"dependencies\":{\"is-number\":\"7.0.0\"}}")));

        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
        assertThat(invoke("build_isnumber", "{\"value\":\"42\"}").path("number").asBoolean()).isTrue();
        assertThat(invoke("build_isnumber", "{\"value\":\"forty-two\"}").path("number").asBoolean()).isFalse();
        JsonNode version = JSON.readTree(get("/functions/build_isnumber/versions").body()).get(0);
        assertThat(version.path("dependenciesDigest").asString()).hasSize(64);
    }

    private static HttpResponse<String> deploy(String buildId, String metadata, byte[] archive) throws Exception {
        String boundary = "e2e-" + UUID.randomUUID();
        var body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n"
                + "Content-Type: application/json\r\n\r\n" + metadata + "\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"code\"; filename=\"code.zip\"\r\n"
                + "Content-Type: application/zip\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(archive);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(Api.uri("/functions?buildId=" + buildId))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).timeout(Duration.ofMinutes(5))
                .POST(BodyPublishers.ofByteArray(body.toByteArray())));
    }

    private static JsonNode invoke(String name, String event) throws Exception {
        HttpResponse<String> response = post("/functions/" + name + "/invoke", "application/json",
                event.getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<String> lines(JsonNode log) {
        List<String> lines = new ArrayList<>();
        (log.has("lines") ? log.path("lines") : log).forEach(line -> lines.add(line.asString()));
        return lines;
    }

    private static void docker(Duration timeout, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("DOCKER_BUILDKIT", "0");
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed: "
                    + new String(output, StandardCharsets.UTF_8));
        }
    }

    private static int dockerQuiet(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return process.waitFor(60, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }
}
