package io.cloudfunc.gateway.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.gateway.support.GatewayIntegrationTest;
import io.cloudfunc.gateway.support.Multipart;
import io.cloudfunc.gateway.support.StubService.Answer;
import io.cloudfunc.support.testing.TestDocuments;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code /images} and deploys of runtime image, in front of a stub container-manager and registry. */
class ImageApiIT extends GatewayIntegrationTest {

    private static final String LOADED = "{\"images\":[\"myorg/resize:1.0\"]}";
    private static final String IMAGE = "{\"id\":\"sha256:abc\",\"tags\":[\"myorg/resize:1.0\"],\"sizeBytes\":1234,"
            + "\"created\":\"2026-01-01T00:00:00Z\",\"protocol\":\"stdio\"}";
    private static final String VIEW = "{\"name\":\"%s\",\"runtime\":\"image\",\"image\":\"myorg/resize:1.0\","
            + "\"latestVersion\":1}";

    /** The first 512 bytes of a tar: a header with the ustar magic at offset 257. */
    private static byte[] tar(int size) {
        byte[] tar = new byte[size];
        byte[] name = "manifest.json".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, tar, 0, name.length);
        byte[] magic = "ustar".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, tar, 257, magic.length);
        return tar;
    }

    @Test
    void uploadIsStreamedToTheContainerManagerAsATar() throws Exception {
        MANAGER.answer("POST", "/internal/images", Answer.json(200, LOADED));
        byte[] archive = tar(4096);

        HttpResponse<byte[]> response = post("/images", "application/x-tar", archive);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(text(response)).isEqualTo(LOADED);
        var forwarded = MANAGER.last("POST", "/internal/images");
        assertThat(forwarded.contentType()).isEqualTo("application/x-tar");
        assertThat(forwarded.body()).isEqualTo(archive);
    }

    @Test
    void uploadAsTheImagePartOfAFormIsForwardedAsTheTar() throws Exception {
        MANAGER.answer("POST", "/internal/images", Answer.json(200, LOADED));
        byte[] archive = TestDocuments.tar("manifest.json", "[]".getBytes(StandardCharsets.UTF_8));
        var form = new Multipart().part("image", "my-function.tar", "application/octet-stream", archive);

        HttpResponse<byte[]> response = post("/images", form.contentType(), form.bytes());

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        assertThat(text(response)).isEqualTo(LOADED);
        var forwarded = MANAGER.last("POST", "/internal/images");
        assertThat(forwarded.contentType()).isEqualTo("application/x-tar");
        assertThat(forwarded.body()).isEqualTo(archive);
    }

    @Test
    void formOverTheImageLimitIsA413AboutImagesNotCode() throws Exception {
        var form = new Multipart().part("image", "big.tar", null, tar(65 * 1024));

        HttpResponse<byte[]> response = post("/images", form.contentType(), form.bytes());

        JsonNode problem = assertProblem(response, 413, "payload-too-large");
        assertThat(problem.path("detail").asString()).contains("image archive").doesNotContain("code");
    }

    @Test
    void formWithoutTheImagePartIsA400Problem() throws Exception {
        int before = MANAGER.received("POST", "/internal/images").size();
        var other = new Multipart().part("file", "my-function.tar", null, tar(1024));
        var none = new Multipart().field("name", "x");

        JsonNode unknown = assertProblem(post("/images", other.contentType(), other.bytes()), 400, "invalid-request");
        JsonNode empty = assertProblem(post("/images", none.contentType(), none.bytes()), 400, "invalid-request");

        assertThat(unknown.path("detail").asString()).contains("'file'").contains("'image'");
        assertThat(empty.path("detail").asString()).contains("'name'");
        assertThat(MANAGER.received("POST", "/internal/images")).hasSize(before);
    }

    @Test
    void uploadThatIsNotATarIsA400Problem() throws Exception {
        int before = MANAGER.received("POST", "/internal/images").size();

        HttpResponse<byte[]> response = post("/images", "application/x-tar",
                "hello, not an archive".getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> empty = post("/images", "application/x-tar", new byte[0]);

        assertProblem(response, 400, "invalid-image-archive");
        assertProblem(empty, 400, "invalid-image-archive");
        assertThat(MANAGER.received("POST", "/internal/images")).hasSize(before);
    }

    @Test
    void uploadOverTheLimitIsA413Problem() throws Exception {
        HttpResponse<byte[]> response = post("/images", "application/x-tar", tar(65 * 1024));

        assertProblem(response, 413, "payload-too-large");
    }

    @Test
    void managersRefusalIsRelayed() throws Exception {
        MANAGER.answer("POST", "/internal/images", Answer.problem(400, "{\"type\":\"urn:cloudfunc:problem:"
                + "invalid-image-archive\",\"title\":\"Invalid image archive\",\"status\":400,\"detail\":\"The Docker"
                + " engine could not load the archive: no manifest\"}"));
        try {
            HttpResponse<byte[]> response = post("/images", "application/x-tar", tar(1024));

            JsonNode problem = assertProblem(response, 400, "invalid-image-archive");
            assertThat(problem.path("detail").asString()).contains("no manifest");
        } finally {
            MANAGER.answer("POST", "/internal/images", Answer.json(200, LOADED));
        }
    }

    @Test
    void listsTheManagersImages() throws Exception {
        MANAGER.answer("GET", "/internal/images", Answer.json(200, "[" + IMAGE + "]"));

        HttpResponse<byte[]> response = get("/images");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode images = JSON.readTree(response.body());
        assertThat(images).hasSize(1);
        assertThat(images.get(0).path("tags").get(0).asString()).isEqualTo("myorg/resize:1.0");
        assertThat(images.get(0).path("protocol").asString()).isEqualTo("stdio");
    }

    @Test
    void imageFunctionDeploysFromJsonWithoutCode() throws Exception {
        MANAGER.answer("GET", "/internal/images/myorg/resize:1.0", Answer.json(200, IMAGE));
        REGISTRY.answer("POST", "/internal/functions", Answer.json(201, VIEW.formatted("resize")));

        HttpResponse<byte[]> response = post("/functions", "application/json",
                "{\"name\":\"resize\",\"runtime\":\"image\",\"image\":\"myorg/resize:1.0\"}"
                        .getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        var last = REGISTRY.last("POST", "/internal/functions");
        Map<String, Multipart.Part> parts = Multipart.parse(last.contentType(), last.body());
        assertThat(JSON.readTree(parts.get("metadata").content()).path("image").asString())
                .isEqualTo("myorg/resize:1.0");
        assertThat(parts.get("code").content()).hasSize(22).startsWith('P', 'K', 5, 6); // an empty zip
    }

    @Test
    void seed004sBodyOfNameAndImageDeploysAnImageFunction() throws Exception {
        MANAGER.answer("GET", "/internal/images/hello-python", Answer.json(200, IMAGE));
        REGISTRY.answer("POST", "/internal/functions", Answer.json(201, VIEW.formatted("hello-python")));

        HttpResponse<byte[]> response = post("/functions", "application/json",
                "{\"name\":\"hello-python\",\"image\":\"hello-python\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
        var last = REGISTRY.last("POST", "/internal/functions");
        JsonNode metadata = JSON.readTree(Multipart.parse(last.contentType(), last.body()).get("metadata").content());
        assertThat(metadata.path("runtime").asString()).isEqualTo("image");
        assertThat(metadata.path("image").asString()).isEqualTo("hello-python");
        assertThat(MANAGER.last("GET", "/internal/images/hello-python")).isNotNull();
    }

    @Test
    void imageFunctionDeploysFromAFormWithoutACodePart() throws Exception {
        MANAGER.answer("GET", "/internal/images/myorg/resize:1.0", Answer.json(200, IMAGE));
        REGISTRY.answer("POST", "/internal/functions", Answer.json(201, VIEW.formatted("resize-form")));
        var form = new Multipart().part("metadata", null, "application/json",
                "{\"name\":\"resize-form\",\"runtime\":\"image\",\"image\":\"myorg/resize:1.0\"}"
                        .getBytes(StandardCharsets.UTF_8));

        HttpResponse<byte[]> response = post("/functions", form.contentType(), form.bytes());

        assertThat(response.statusCode()).as(text(response)).isEqualTo(201);
    }

    @Test
    void deployOfAnImageTheManagerLacksIsA400ImageNotFound() throws Exception {
        MANAGER.answer("GET", "/internal/images/myorg/missing:2", Answer.problem(404, "{\"type\":\"urn:cloudfunc:"
                + "problem:image-not-found\",\"title\":\"Image not found\",\"status\":404}"));
        int before = REGISTRY.received("POST", "/internal/functions").size();

        HttpResponse<byte[]> response = post("/functions", "application/json",
                "{\"name\":\"missing\",\"runtime\":\"image\",\"image\":\"myorg/missing:2\"}"
                        .getBytes(StandardCharsets.UTF_8));

        JsonNode problem = assertProblem(response, 400, "image-not-found");
        assertThat(problem.path("detail").asString()).contains("myorg/missing:2").contains("cloudfunc images upload");
        assertThat(REGISTRY.received("POST", "/internal/functions")).hasSize(before);
    }

    @Test
    void pythonDeployWithoutCodeIsStillRefused() throws Exception {
        HttpResponse<byte[]> response = post("/functions", "application/json",
                "{\"name\":\"nocode\",\"runtime\":\"python\"}".getBytes(StandardCharsets.UTF_8));

        assertProblem(response, 400, "invalid-request");
    }
}
