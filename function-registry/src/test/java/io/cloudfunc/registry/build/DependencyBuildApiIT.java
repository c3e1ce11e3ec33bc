package io.cloudfunc.registry.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.function.DependencyBuildView;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.registry.RegistryIntegrationTest;
import io.cloudfunc.registry.function.Zips;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/** Dependency builds stored, reused and named by versions, through the internal API, on PostgreSQL. */
class DependencyBuildApiIT extends RegistryIntegrationTest {

    private static final MediaType ZIP = MediaType.parseMediaType("application/zip");

    @Test
    void aStoredBuildIsFoundByItsDigestAndStoringItAgainKeepsTheFirst() {
        String digest = "1a".repeat(32);
        byte[] archive = Zips.zip(Map.of("greet/__init__.py", "def hello(): return 'hi'\n"));
        http.get().uri("/internal/dependency-builds/{d}", digest).exchange().expectStatus().isNotFound();

        DependencyBuildView stored = store(digest, "python", 1234, archive).expectStatus().isCreated()
                .expectBody(DependencyBuildView.class).returnResult().getResponseBody();
        DependencyBuildView again = store(digest, "python", 99, Zips.zip(Map.of("other.py", "x = 1\n")))
                .expectStatus().isOk().expectBody(DependencyBuildView.class).returnResult().getResponseBody();

        assertThat(stored.digest()).isEqualTo(digest);
        assertThat(stored.size()).isEqualTo(archive.length);
        assertThat(again.buildMs()).as("the first build is kept").isEqualTo(1234);
        byte[] downloaded = http.get().uri("/internal/dependency-builds/{d}/archive", digest).exchange()
                .expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(downloaded).isEqualTo(archive);
    }

    @Test
    void refusesABuildThatIsNotOne() {
        byte[] archive = Zips.zip(Map.of("a.py", "x = 1\n"));
        assertProblem(store("not-a-digest", "python", 1, archive), 400, ProblemTypes.INVALID_REQUEST);
        assertProblem(store("2b".repeat(32), "java", 1, archive), 400, ProblemTypes.INVALID_REQUEST);
        assertProblem(store("2b".repeat(32), "python", 1, "not a zip".getBytes()), 400,
                ProblemTypes.INVALID_REQUEST);
        http.get().uri("/internal/dependency-builds/{d}", "2b".repeat(32)).exchange().expectStatus().isNotFound();
    }

    @Test
    void aVersionNamesItsBuildAndAConfigurationUpdateKeepsIt() {
        String digest = "3c".repeat(32);
        store(digest, "node", 2500, Zips.zip(Map.of("node_modules/is-number/package.json", "{}")))
                .expectStatus().isCreated();
        // a node archive whose package.json dependencies are not in it: built at deploy, so accepted with a build
        byte[] code = Zips.zip(Map.of("index.js", "exports.handler = () => 1;",
                "package.json", "{\"dependencies\":{\"is-number\":\"7.0.0\"}}"));
        String metadata = "{\"name\":\"built\",\"runtime\":\"node\",\"handler\":\"index.handler\"}";
        assertProblem(deploy(metadata, code, null), 400, ProblemTypes.INVALID_ARCHIVE);
        assertProblem(deploy(metadata, code, "4d".repeat(32)), 400, ProblemTypes.INVALID_REQUEST);

        deploy(metadata, code, digest).expectStatus().isCreated();
        http.put().uri("/internal/functions/built").contentType(MediaType.APPLICATION_JSON).body("{\"memoryMb\":256}")
                .exchange().expectStatus().isOk();
        deploy("{\"name\":\"built\",\"runtime\":\"python\"}", Zips.helloFunction(), null).expectStatus().isCreated();

        List<FunctionVersionView> versions = http.get().uri("/internal/functions/built/versions").exchange()
                .expectStatus().isOk().expectBody(new ParameterizedTypeReference<List<FunctionVersionView>>() { })
                .returnResult().getResponseBody();
        assertThat(versions).extracting(FunctionVersionView::version).containsExactly(3, 2, 1);
        assertThat(versions).extracting(FunctionVersionView::dependenciesDigest).containsExactly(null, digest, digest);
        assertThat(versions).extracting(FunctionVersionView::dependenciesBuildMs).containsExactly(null, 2500L, 2500L);
    }

    private RestTestClient.ResponseSpec store(String digest, String runtime, long buildMs, byte[] archive) {
        return http.put().uri("/internal/dependency-builds/{d}?runtime={r}&buildMs={ms}", digest, runtime, buildMs)
                .contentType(ZIP).body(archive).exchange();
    }

    private RestTestClient.ResponseSpec deploy(String metadata, byte[] code, String dependencies) {
        MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        var json = new HttpHeaders();
        json.setContentType(MediaType.APPLICATION_JSON);
        parts.add("metadata", new HttpEntity<>(metadata, json));
        var zip = new HttpHeaders();
        zip.setContentType(ZIP);
        zip.setContentDispositionFormData("code", "code.zip");
        parts.add("code", new HttpEntity<>(code, zip));
        return http.post().uri("/internal/functions" + (dependencies == null ? "" : "?dependencies=" + dependencies))
                .contentType(MediaType.MULTIPART_FORM_DATA).body(parts).exchange();
    }
}
