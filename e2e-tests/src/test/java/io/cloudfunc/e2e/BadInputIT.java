package io.cloudfunc.e2e;

import static io.cloudfunc.e2e.Api.deploy;
import static io.cloudfunc.e2e.Api.deployInline;
import static io.cloudfunc.e2e.Api.get;
import static io.cloudfunc.e2e.Api.post;
import static io.cloudfunc.e2e.Api.randomText;
import static io.cloudfunc.e2e.Api.send;
import static io.cloudfunc.e2e.Api.sendAs;
import static io.cloudfunc.e2e.Api.spec;
import static io.cloudfunc.e2e.Api.uri;
import static io.cloudfunc.e2e.Api.zip;
import static io.cloudfunc.support.testing.TestDocuments.tar;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input at every public endpoint: each answer must be the right 4xx problem detail (type, status, a detail in
 * plain words), never a 5xx, and nothing of a refused request may be stored. Unknown JSON fields are refused (400)
 * on every body the gateway reads as an object: deploy metadata and form fields, inline deploys, configuration
 * updates and aliases; an invocation's event is free-form. Requests are made with the bootstrap admin key, except
 * the API key cases: no key, a malformed header, an unknown, revoked or expired key (401), a role too low (403).
 */
@ExtendWith(SharedPlatform.class)
class BadInputIT {

    /** An existing function with one version and no alias, for the cases that need one. */
    private static final String TARGET = "bad-input-target";

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder()
            .build();

    record Case(String what, HttpResponse<String> response, int status, String type) {
    }

    @BeforeAll
    static void target() throws Exception {
        deployInline(TARGET, "def handler(event):\n    return 1\n");
    }

    @Test
    void answersEveryBadInputWithTheRightProblemDetailAndStoresNothing() throws Exception {
        byte[] helloZip = zip(Map.of("function.py", "def handler(event):\n    return 1\n"));
        List<Case> cases = new ArrayList<>();
        // invoke
        cases.add(new Case("unknown function", json("POST", "/functions/nope/invoke", "{}"), 404, "function-not-found"));
        cases.add(new Case("invalid name on invoke", json("POST", "/functions/Bad_Name/invoke", "{}"), 400, "invalid-request"));
        cases.add(new Case("malformed reference", json("POST", "/functions/" + TARGET + ":/invoke", "{}"), 400, "invalid-request"));
        cases.add(new Case("uppercase alias reference", json("POST", "/functions/" + TARGET + ":Prod/invoke", "{}"), 400, "invalid-request"));
        cases.add(new Case("version zero", json("POST", "/functions/" + TARGET + ":0/invoke", "{}"), 400, "invalid-request"));
        cases.add(new Case("unknown version", json("POST", "/functions/" + TARGET + ":99/invoke", "{}"), 404, "function-not-found"));
        cases.add(new Case("unknown alias", json("POST", "/functions/" + TARGET + ":staging/invoke", "{}"), 404, "alias-not-found"));
        cases.add(new Case("invalid JSON event", json("POST", "/functions/" + TARGET + "/invoke", "{\"name\":"), 400, "invalid-request"));
        cases.add(new Case("event number of 99,999 digits written out", json("POST", "/functions/" + TARGET
                + "/invoke?async=true", "{\"n\":0.1e99999}"), 400, "invalid-request"));
        cases.add(new Case("event not JSON", post("/functions/" + TARGET + "/invoke", "text/plain", "hi".getBytes()), 400, "invalid-request"));
        cases.add(new Case("oversized event", json("POST", "/functions/" + TARGET + "/invoke",
                "{\"pad\":\"" + "x".repeat(100_000) + "\"}"), 413, "payload-too-large"));
        // deploy (multipart)
        cases.add(new Case("invalid name on deploy", deploy(spec("Bad_Name", "python"), helloZip), 400, "invalid-request"));
        cases.add(new Case("unsupported runtime", deploy(spec("cobol-fn", "cobol"), helloZip), 400, "unsupported-runtime"));
        cases.add(new Case("unknown metadata field", deploy("{\"name\":\"unknown-field\",\"runtime\":\"python\","
                + "\"memroyMb\":256}", helloZip), 400, "invalid-request"));
        cases.add(new Case("wrong type in metadata", deploy("{\"name\":\"wrong-type\",\"runtime\":\"python\","
                + "\"timeoutMs\":\"soon\"}", helloZip), 400, "invalid-request"));
        cases.add(new Case("fractional timeout", deploy("{\"name\":\"frac-timeout\",\"runtime\":\"python\","
                + "\"timeoutMs\":1.5}", helloZip), 400, "invalid-request"));
        cases.add(new Case("number as metadata name", deploy("{\"name\":12,\"runtime\":\"python\"}", helloZip), 400,
                "invalid-request"));
        cases.add(new Case("malformed metadata", deploy("{\"name\":", helloZip), 400, "invalid-request"));
        cases.add(new Case("metadata not an object", deploy("[1,2]", helloZip), 400, "invalid-request"));
        cases.add(new Case("secret also an env variable", deploy("{\"name\":\"dup-var\",\"runtime\":\"python\","
                + "\"env\":{\"K\":\"a\"},\"secrets\":{\"K\":\"b\"}}", helloZip), 400, "invalid-request"));
        cases.add(new Case("non-zip upload", deploy(spec("broken-zip", "python"), "this is not a zip".getBytes()), 400, "invalid-archive"));
        cases.add(new Case("empty archive part", deploy(spec("empty-zip", "python"), new byte[0]), 400, "invalid-archive"));
        cases.add(new Case("zip with path traversal", deploy(spec("traversal", "python"),
                zip(Map.of("function.py", "def handler(e):\n    return 1\n", "../evil.py", "x = 1\n"))), 400, "invalid-archive"));
        cases.add(new Case("zip with absolute path", deploy(spec("absolute", "python"),
                zip(Map.of("function.py", "def handler(e):\n    return 1\n", "/etc/evil.py", "x = 1\n"))), 400, "invalid-archive"));
        cases.add(new Case("zip bomb", deploy(spec("zip-bomb", "python"), bomb()), 413, "payload-too-large"));
        cases.add(new Case("missing handler file", deploy(spec("no-handler", "python"), zip(Map.of("other.py", "x = 1\n"))), 400, "invalid-archive"));
        cases.add(new Case("oversized archive", deploy(spec("too-big", "python"), zip(Map.of("function.py",
                "def handler(e):\n    return 1\n", "blob.bin", randomText(1_500_000)))), 413, "payload-too-large"));
        cases.add(new Case("unknown form field", form(Map.of("name", "form-field", "runtime", "python", "colour", "red"),
                helloZip), 400, "invalid-request"));
        cases.add(new Case("name given twice", form(Map.of("name", "name-twice\u0000name-twice2", "runtime", "python"),
                helloZip), 400, "invalid-request"));
        cases.add(new Case("env given twice", form(Map.of("name", "env-twice", "runtime", "python",
                "env", "A=1\u0000A=2"), helloZip), 400, "invalid-request"));
        // deploy (inline JSON)
        cases.add(new Case("malformed inline deploy", json("POST", "/functions", "{\"name\":"), 400, "invalid-request"));
        cases.add(new Case("empty inline deploy", json("POST", "/functions", ""), 400, "invalid-request"));
        cases.add(new Case("inline deploy not an object", json("POST", "/functions", "[]"), 400, "invalid-request"));
        cases.add(new Case("inline deploy JSON null", json("POST", "/functions", "null"), 400, "invalid-request"));
        cases.add(new Case("unknown inline field", json("POST", "/functions", "{\"name\":\"inline-unknown\","
                + "\"runtime\":\"python\",\"code\":\"def handler(e):\\n    return 1\\n\",\"bogus\":1}"), 400, "invalid-request"));
        cases.add(new Case("wrong inline type", json("POST", "/functions", "{\"name\":\"inline-type\","
                + "\"runtime\":\"python\",\"code\":\"x\",\"memoryMb\":[1]}"), 400, "invalid-request"));
        cases.add(new Case("duplicate inline field", json("POST", "/functions", "{\"name\":\"inline-dup\","
                + "\"runtime\":\"python\",\"code\":\"x = 1\",\"name\":\"inline-dup2\"}"), 400, "invalid-request"));
        cases.add(new Case("fractional inline timeout", json("POST", "/functions", "{\"name\":\"inline-frac\","
                + "\"runtime\":\"python\",\"code\":\"x = 1\",\"timeoutMs\":1.5}"), 400, "invalid-request"));
        cases.add(new Case("inline without code", json("POST", "/functions", "{\"name\":\"inline-nocode\","
                + "\"runtime\":\"python\"}"), 400, "invalid-request"));
        // deploy in seed 002's shape (a config block)
        cases.add(new Case("config memory in the wrong unit", json("POST", "/functions", "{\"name\":\"seed-mem\","
                + "\"code\":\"x = 1\",\"config\":{\"memory\":\"128m\"}}"), 400, "invalid-request"));
        cases.add(new Case("config cpu not a quantity", json("POST", "/functions", "{\"name\":\"seed-cpu\","
                + "\"code\":\"x = 1\",\"config\":{\"cpu_limit\":\"fast\"}}"), 400, "invalid-request"));
        cases.add(new Case("config timeout and timeoutMs", json("POST", "/functions", "{\"name\":\"seed-both\","
                + "\"code\":\"x = 1\",\"timeoutMs\":1000,\"config\":{\"timeout\":1}}"), 400, "invalid-request"));
        cases.add(new Case("unknown config member", json("POST", "/functions", "{\"name\":\"seed-unknown\","
                + "\"code\":\"x = 1\",\"config\":{\"replicas\":2}}"), 400, "invalid-request"));
        // seed 002's dependencies are built at deploy (BuildsIT); a blank requirement is refused before any build
        cases.add(new Case("config dependencies", json("POST", "/functions", "{\"name\":\"seed-deps\","
                + "\"code\":\"x = 1\",\"config\":{\"dependencies\":[\" \"]}}"), 400, "invalid-request"));
        cases.add(new Case("cpuMillis below Docker's floor", json("POST", "/functions", "{\"name\":\"cpu-floor\","
                + "\"runtime\":\"python\",\"code\":\"x = 1\",\"cpuMillis\":5}"), 400, "invalid-request"));
        cases.add(new Case("deploy as text", post("/functions", "text/plain", "hello".getBytes()), 415, "unsupported-media-type"));
        // describe, delete, versions
        cases.add(new Case("unknown function GET", get("/functions/nope"), 404, "function-not-found"));
        cases.add(new Case("invalid name GET", get("/functions/Bad_Name"), 400, "invalid-request"));
        cases.add(new Case("unknown function DELETE", json("DELETE", "/functions/nope", null), 404, "function-not-found"));
        cases.add(new Case("versions of unknown function", get("/functions/nope/versions"), 404, "function-not-found"));
        cases.add(new Case("versions with invalid name", get("/functions/Bad_Name/versions"), 400, "invalid-request"));
        // configuration update
        String config = "/functions/" + TARGET;
        cases.add(new Case("update unknown field", json("PUT", config, "{\"memry\":256}"), 400, "invalid-request"));
        cases.add(new Case("update wrong type", json("PUT", config, "{\"memoryMb\":\"lots\"}"), 400, "invalid-request"));
        cases.add(new Case("update out of range", json("PUT", config, "{\"memoryMb\":1}"), 400, "invalid-request"));
        cases.add(new Case("update empty body", json("PUT", config, ""), 400, "invalid-request"));
        cases.add(new Case("update malformed", json("PUT", config, "{"), 400, "invalid-request"));
        cases.add(new Case("update renames", json("PUT", config, "{\"name\":\"other\"}"), 400, "invalid-request"));
        cases.add(new Case("update as text", send(HttpRequest.newBuilder(uri(config)).header("Content-Type", "text/plain")
                .PUT(BodyPublishers.ofString("{}"))), 415, "unsupported-media-type"));
        cases.add(new Case("update too large", json("PUT", config, "{\"handler\":\"" + "x".repeat(2_000_000) + "\"}"),
                413, "payload-too-large"));
        cases.add(new Case("update unknown function", json("PUT", "/functions/nope", "{\"memoryMb\":256}"), 404, "function-not-found"));
        cases.add(new Case("update invalid name", json("PUT", "/functions/Bad_Name", "{}"), 400, "invalid-request"));
        // aliases
        String aliases = "/functions/" + TARGET + "/aliases/";
        cases.add(new Case("alias to unknown version", json("PUT", aliases + "prod", "{\"version\":7}"), 404, "function-not-found"));
        cases.add(new Case("alias reserved name", json("PUT", aliases + "latest", "{\"version\":1}"), 400, "invalid-request"));
        cases.add(new Case("alias that is a number", json("PUT", aliases + "3", "{\"version\":1}"), 400, "invalid-request"));
        cases.add(new Case("alias uppercase", json("PUT", aliases + "Prod", "{\"version\":1}"), 400, "invalid-request"));
        cases.add(new Case("alias without version", json("PUT", aliases + "prod", "{}"), 400, "invalid-request"));
        cases.add(new Case("alias version wrong type", json("PUT", aliases + "prod", "{\"version\":\"one\"}"), 400, "invalid-request"));
        cases.add(new Case("alias unknown field", json("PUT", aliases + "prod", "{\"version\":1,\"x\":1}"), 400, "invalid-request"));
        cases.add(new Case("alias empty body", json("PUT", aliases + "prod", ""), 400, "invalid-request"));
        cases.add(new Case("alias of unknown function", json("PUT", "/functions/nope/aliases/prod", "{\"version\":1}"), 404, "function-not-found"));
        cases.add(new Case("unknown alias GET", get(aliases + "prod"), 404, "alias-not-found"));
        cases.add(new Case("unknown alias DELETE", json("DELETE", aliases + "prod", null), 404, "alias-not-found"));
        cases.add(new Case("aliases of unknown function", get("/functions/nope/aliases"), 404, "function-not-found"));
        // asynchronous calls and history
        cases.add(new Case("callback without async", json("POST", "/functions/" + TARGET
                + "/invoke?callbackUrl=http://127.0.0.1:1/x", "{}"), 400, "invalid-request"));
        cases.add(new Case("async to unknown alias", send(HttpRequest.newBuilder(uri("/functions/" + TARGET
                + ":staging/invoke?async=true")).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{}"))), 404, "alias-not-found"));
        cases.add(new Case("history with invalid name", get("/functions/Bad_Name/invocations"), 400, "invalid-request"));
        // invocations
        cases.add(new Case("unknown invocation", get("/invocations/" + UUID.randomUUID()), 404, "invocation-not-found"));
        cases.add(new Case("malformed invocation id", get("/invocations/not-a-uuid"), 400, "invalid-request"));
        // stats
        cases.add(new Case("stats bad window", get("/stats?window=forever"), 400, "invalid-request"));
        cases.add(new Case("stats window too long", get("/stats?window=31d"), 400, "invalid-request"));
        cases.add(new Case("stats window zero", get("/stats?window=0m"), 400, "invalid-request"));
        cases.add(new Case("stats of unknown function", get("/functions/nope/stats"), 404, "function-not-found"));
        cases.add(new Case("stats invalid name", get("/functions/Bad_Name/stats"), 400, "invalid-request"));
        // instances
        cases.add(new Case("unknown instance", json("DELETE", "/instances/0123456789abcdef", null), 404, "instance-not-found"));
        cases.add(new Case("invalid instance id", json("DELETE", "/instances/not-an-id", null), 400, "invalid-request"));
        // images
        cases.add(new Case("image upload that is not a tar", post("/images", "application/x-tar",
                "not a tar archive".getBytes()), 400, "invalid-image-archive"));
        cases.add(new Case("image upload without a manifest", post("/images", "application/x-tar",
                tar("hello.txt", "hi\n".getBytes(StandardCharsets.UTF_8))), 400, "invalid-image-archive"));
        // logs
        cases.add(new Case("logs of a malformed invocation id", get("/invocations/not-a-uuid/logs"), 400, "invalid-request"));
        cases.add(new Case("logs of an unknown invocation", get("/invocations/" + UUID.randomUUID() + "/logs"), 404, "invocation-not-found"));
        cases.add(new Case("logs with invalid name", get("/functions/Bad_Name/logs"), 400, "invalid-request"));
        // API keys: bad key requests
        cases.add(new Case("key without name", json("POST", "/keys", "{\"role\":\"developer\"}"), 400, "invalid-request"));
        cases.add(new Case("key with a number as name", json("POST", "/keys", "{\"name\":12,\"role\":\"developer\"}"),
                400, "invalid-request"));
        cases.add(new Case("key unknown field", json("POST", "/keys", "{\"name\":\"extra-field\",\"role\":\"developer\","
                + "\"scopes\":[\"all\"]}"), 400, "invalid-request"));
        cases.add(new Case("key unknown role", json("POST", "/keys", "{\"name\":\"x\",\"role\":\"superuser\"}"), 400, "invalid-request"));
        cases.add(new Case("key expiring in the past", json("POST", "/keys", "{\"name\":\"past\",\"role\":\"invoker\","
                + "\"expiresAt\":\"2020-01-01T00:00:00Z\"}"), 400, "invalid-request"));
        cases.add(new Case("key expiring at a number", json("POST", "/keys", "{\"name\":\"epoch\",\"role\":\"invoker\","
                + "\"expiresAt\":1893456000}"), 400, "invalid-request"));
        cases.add(new Case("key malformed JSON", json("POST", "/keys", "{\"name\":"), 400, "invalid-request"));
        cases.add(new Case("revoke malformed key id", json("DELETE", "/keys/not-a-uuid", null), 400, "invalid-request"));
        cases.add(new Case("revoke unknown key", json("DELETE", "/keys/" + UUID.randomUUID(), null), 404, "api-key-not-found"));
        cases.add(new Case("read unknown key", get("/keys/" + UUID.randomUUID()), 404, "api-key-not-found"));
        // API keys: who may call
        HttpRequest.Builder listFunctions = HttpRequest.newBuilder(uri("/functions")).GET();
        cases.add(new Case("no key", sendAs(null, listFunctions.copy()), 401, "unauthorized"));
        cases.add(new Case("basic instead of bearer", sendRaw("Basic YWRtaW46YWRtaW4=", listFunctions.copy()), 401, "unauthorized"));
        cases.add(new Case("bearer without a key", sendRaw("Bearer", listFunctions.copy()), 401, "unauthorized"));
        cases.add(new Case("malformed key", sendAs("not a key at all", listFunctions.copy()), 401, "unauthorized"));
        cases.add(new Case("unknown key", sendAs("cf_" + "A".repeat(43), listFunctions.copy()), 401, "unauthorized"));
        String revoked = createKey("bad-input-revoked", "developer", null);
        assertThat(sendAs(revoked, listFunctions.copy()).statusCode()).isEqualTo(200);
        String revokedId = keyIdOf("bad-input-revoked");
        assertThat(json("DELETE", "/keys/" + revokedId, null).statusCode()).isEqualTo(200);
        cases.add(new Case("revoked key", sendAs(revoked, listFunctions.copy()), 401, "unauthorized"));
        String expiring = createKey("bad-input-expiring", "developer", Instant.now().plusSeconds(2));
        cases.add(new Case("expired key", awaitRefused(expiring), 401, "unauthorized"));
        String invoker = createKey("bad-input-invoker", "invoker", null);
        cases.add(new Case("invoker deploys", sendAs(invoker, HttpRequest.newBuilder(uri("/functions"))
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString("{\"name\":\"by-invoker\","
                        + "\"runtime\":\"python\",\"code\":\"def handler(e):\\n    return 1\\n\"}"))), 403, "forbidden"));
        cases.add(new Case("invoker updates configuration", sendAs(invoker, HttpRequest.newBuilder(uri(config))
                .header("Content-Type", "application/json").PUT(BodyPublishers.ofString("{\"memoryMb\":256}"))), 403, "forbidden"));
        cases.add(new Case("invoker moves an alias", sendAs(invoker, HttpRequest.newBuilder(uri(aliases + "prod"))
                .header("Content-Type", "application/json").PUT(BodyPublishers.ofString("{\"version\":1}"))), 403, "forbidden"));
        cases.add(new Case("invoker reads stats", sendAs(invoker, HttpRequest.newBuilder(uri("/stats")).GET()), 403, "forbidden"));
        cases.add(new Case("invoker lists instances", sendAs(invoker, HttpRequest.newBuilder(uri("/instances")).GET()), 403, "forbidden"));
        cases.add(new Case("invoker lists versions", sendAs(invoker, HttpRequest.newBuilder(uri("/functions/" + TARGET
                + "/versions")).GET()), 403, "forbidden"));
        String developer = createKey("bad-input-developer", "developer", null);
        cases.add(new Case("developer lists keys", sendAs(developer, HttpRequest.newBuilder(uri("/keys")).GET()), 403, "forbidden"));
        cases.add(new Case("developer creates a key", sendAs(developer, HttpRequest.newBuilder(uri("/keys"))
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString(
                        "{\"name\":\"escalate\",\"role\":\"admin\"}"))), 403, "forbidden"));
        // anywhere
        cases.add(new Case("unknown path", get("/no/such/path"), 404, "not-found"));
        cases.add(new Case("wrong method", json("PUT", "/functions/" + TARGET + "/invoke", "{}"), 405, "method-not-allowed"));

        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            String body = c.response().body();
            String contentType = c.response().headers().firstValue("Content-Type").orElse("");
            if (c.response().statusCode() != c.status() || !contentType.startsWith("application/problem+json")
                    || !body.contains("\"type\":\"urn:cloudfunc:problem:" + c.type() + "\"")
                    || !body.contains("\"status\":" + c.status()) || !body.contains("\"detail\"")
                    || body.contains("Exception") || body.contains("\tat ")
                    // no internal name: neither a service's internal path nor a file of the platform's
                    || body.contains("/internal/") || body.contains("/var/lib/docker") || body.contains("docker-import")
                    || body.contains("/tmp/")) {
                failures.add(c.what() + ": expected " + c.status() + " " + c.type() + ", got "
                        + c.response().statusCode() + " " + contentType + " " + abbreviate(body));
            }
        }
        assertThat(failures).as("cases answered wrongly (of " + cases.size() + ")").isEmpty();

        for (String rejected : List.of("cobol-fn", "unknown-field", "wrong-type", "dup-var", "broken-zip", "empty-zip",
                "traversal", "absolute", "zip-bomb", "no-handler", "too-big", "form-field", "env-twice", "inline-unknown",
                "inline-type", "inline-nocode", "frac-timeout", "12", "name-twice", "name-twice2", "inline-dup",
                "inline-dup2", "inline-frac", "seed-mem", "seed-cpu", "seed-both", "seed-unknown", "seed-deps",
                "cpu-floor")) {
            assertThat(get("/functions/" + rejected).statusCode()).as(rejected + " must not be stored").isEqualTo(404);
        }
        assertThat(get("/functions/" + TARGET + "/versions").body()).as("no version added by refused updates")
                .contains("\"version\":1").doesNotContain("\"version\":2");
        assertThat(get("/functions/" + TARGET + "/aliases").body()).isEqualTo("[]");
        assertThat(get("/keys").body()).as("no key created by refused key requests").doesNotContain("\"escalate\"")
                .doesNotContain("\"past\"").doesNotContain("\"epoch\"").doesNotContain("\"12\"")
                .doesNotContain("\"extra-field\"");
    }

    /** Creates a key with the admin key ({@code POST /keys}) and returns its secret. */
    private static String createKey(String name, String role, Instant expiresAt) throws Exception {
        var created = json("POST", "/keys", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\""
                + (expiresAt == null ? "" : ",\"expiresAt\":\"" + expiresAt + "\"") + "}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).path("secret").asString();
    }

    private static String keyIdOf(String name) throws Exception {
        for (var key : JSON.readTree(get("/keys").body())) {
            if (name.equals(key.path("name").asString())) {
                return key.path("id").asString();
            }
        }
        throw new AssertionError("no key named " + name);
    }

    /** Calls with {@code key} until it is refused (at most 10 s): an expiring key's first answer after expiry. */
    private static HttpResponse<String> awaitRefused(String key) throws Exception {
        HttpResponse<String> response = null;
        for (int i = 0; i < 50; i++) {
            response = sendAs(key, HttpRequest.newBuilder(uri("/functions")).GET());
            if (response.statusCode() != 200) {
                return response;
            }
            Thread.sleep(200);
        }
        return response;
    }

    /** Sends with this exact Authorization header value. */
    private static HttpResponse<String> sendRaw(String authorization, HttpRequest.Builder request) throws Exception {
        return sendAs(null, request.header("Authorization", authorization));
    }

    private static HttpResponse<String> json(String method, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(uri(path));
        if (body == null) {
            return send(request.method(method, BodyPublishers.noBody()));
        }
        return send(request.header("Content-Type", "application/json").method(method, BodyPublishers.ofString(body)));
    }

    /** A deploy with form fields instead of a metadata part; a value with NUL separators is sent as repeated fields. */
    private static HttpResponse<String> form(Map<String, String> fields, byte[] archive) throws Exception {
        List<String[]> parts = new ArrayList<>();
        fields.forEach((name, values) -> {
            for (String value : values.split("\u0000")) {
                parts.add(new String[] {name, null, value});
            }
        });
        return deploy(parts, archive);
    }

    /** A small zip (well under the 1 MB upload limit) that inflates past the registry's 250 MB unpacked limit. */
    private static byte[] bomb() throws Exception {
        var buffer = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(buffer)) {
            zip.setLevel(9);
            zip.putNextEntry(new ZipEntry("function.py"));
            zip.write("def handler(e):\n    return 1\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            byte[] zeros = new byte[1024 * 1024];
            for (int part = 0; part < 3; part++) {
                zip.putNextEntry(new ZipEntry("zeros-" + part + ".bin"));
                for (int i = 0; i < 100; i++) {
                    zip.write(zeros);
                }
                zip.closeEntry();
            }
        }
        return buffer.toByteArray();
    }

    private static String abbreviate(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }
}
