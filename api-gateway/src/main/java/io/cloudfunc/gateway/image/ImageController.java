package io.cloudfunc.gateway.image;

import io.cloudfunc.gateway.GatewayProperties;
import io.cloudfunc.gateway.downstream.ContainerManagers;
import io.cloudfunc.gateway.downstream.DownstreamService;
import io.cloudfunc.support.http.BufferedResponse;
import io.cloudfunc.support.problem.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * {@code POST /images} loads a {@code docker save} archive on every container-manager; {@code GET /images} lists
 * the images functions can run. The archive comes as the body or as the {@code image} part of a form
 * ({@link ImageUploads}). It is kept in a temporary file while it is sent on, so that its size is
 * checked before any manager sees it and several managers can each get a copy.
 */
@RestController
@RequestMapping("/images")
class ImageController {

    private static final Logger log = LoggerFactory.getLogger(ImageController.class);
    private static final String TAR = "application/x-tar";

    private final ContainerManagers managers;
    private final GatewayProperties properties;
    private final JsonMapper json;

    ImageController(ContainerManagers managers, GatewayProperties properties, JsonMapper json) {
        this.managers = managers;
        this.properties = properties;
        this.json = json;
    }

    @PostMapping
    ResponseEntity<byte[]> upload(HttpServletRequest request) throws IOException {
        long max = properties.maxImageSize().toBytes();
        // a form's boundaries and part headers may add a little to the archive's own size
        if (request.getContentLengthLong() > max + properties.multipart().maxMetadataSize().toBytes()) {
            throw tooLarge();
        }
        Path archive = Files.createTempFile("cloudfunc-image-", ".tar");
        try {
            long size = ImageUploads.receive(request, archive, max, this::tooLarge);
            ImageUploads.check(archive, size);
            ResponseEntity<byte[]> answer = null;
            for (DownstreamService manager : managers.all()) {
                BufferedResponse response;
                try (InputStream body = Files.newInputStream(archive)) {
                    response = manager.post("/internal/images", TAR, body, size);
                }
                ResponseEntity<byte[]> relayed = manager.relay(response);
                if (!response.isSuccess()) {
                    return relayed; // the archive is bad, or too large for that manager: the same for the others
                }
                answer = relayed;
            }
            log.info("Image archive of {} bytes loaded on {} container-manager(s)", size, managers.all().size());
            return answer;
        } finally {
            Files.deleteIfExists(archive);
        }
    }

    /** The images of every manager, each once (by id); with several managers, those of the first come first. */
    @GetMapping
    ResponseEntity<byte[]> list() {
        ArrayNode all = json.createArrayNode();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (DownstreamService manager : managers.all()) {
            BufferedResponse response = manager.get("/internal/images");
            if (!response.isSuccess()) {
                return manager.relay(response);
            }
            for (JsonNode image : json.readTree(response.body())) {
                if (seen.add(image.path("id").asString())) {
                    all.add(image);
                }
            }
        }
        return ResponseEntity.ok().header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
                .body(json.writeValueAsBytes(all));
    }

    private RuntimeException tooLarge() {
        return Problems.payloadTooLarge("The image archive is too large: at most "
                + properties.maxImageSize().toMegabytes() + " MB.");
    }
}
