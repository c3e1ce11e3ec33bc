package io.cloudfunc.containers.images;

import io.cloudfunc.containers.ContainerManagerProperties;
import io.cloudfunc.containers.docker.ContainerEngineException;
import io.cloudfunc.containers.docker.InvalidImageArchiveException;
import io.cloudfunc.contracts.image.ImageView;
import io.cloudfunc.contracts.image.ImagesLoaded;
import io.cloudfunc.support.problem.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /internal/images}: what the gateway's {@code /images} relays, and the deploy-time check that a function's
 * image exists (docs/architecture.md, "container-manager internal API").
 */
@RestController
@RequestMapping("/internal/images")
class ImageController {

    private final ImageCatalog catalog;
    private final long maxUpload;

    ImageController(ImageCatalog catalog, ContainerManagerProperties properties) {
        this.catalog = catalog;
        this.maxUpload = properties.images().maxUploadSize().toBytes();
    }

    @GetMapping
    List<ImageView> list() {
        try {
            return catalog.list();
        } catch (ContainerEngineException e) {
            throw Problems.platformError("docker", "The Docker engine could not list its images.");
        }
    }

    /** One image by reference ({@code /internal/images/myorg/resize:1.0}); 404 image-not-found when absent. */
    @GetMapping("/{*reference}")
    ImageView get(@PathVariable String reference) {
        String ref = reference.startsWith("/") ? reference.substring(1) : reference;
        if (ref.isEmpty()) {
            throw Problems.invalidRequest("An image reference is required, e.g. /internal/images/myorg/resize:1.0.");
        }
        try {
            return catalog.find(ref).map(ImageCatalog::view)
                    .orElseThrow(() -> Problems.imageNotFound(HttpStatus.NOT_FOUND, ref));
        } catch (ContainerEngineException e) {
            throw Problems.platformError("docker", "The Docker engine could not inspect image " + ref + ".");
        }
    }

    /**
     * Loads the body, a {@code docker save} archive (tar, or a compressed tar), streamed to the engine as it arrives;
     * any content type is accepted since clients label tars variously.
     */
    @PostMapping
    ImagesLoaded load(HttpServletRequest request) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxUpload) {
            throw tooLarge();
        }
        BufferedInputStream body = new BufferedInputStream(request.getInputStream(), 64 * 1024);
        ImageArchives.checkLooksLikeArchive(body);
        var limited = new ImageArchives.LimitedInputStream(body, maxUpload);
        try {
            return new ImagesLoaded(catalog.load(limited));
        } catch (InvalidImageArchiveException e) {
            if (limited.exceeded()) {
                throw tooLarge();
            }
            throw Problems.invalidImageArchive("The Docker engine could not load the archive: " + e.getMessage());
        } catch (ContainerEngineException e) {
            if (limited.exceeded()) {
                throw tooLarge();
            }
            throw Problems.platformError("docker", "The Docker engine failed to load the archive: "
                    + e.getMessage());
        }
    }

    private RuntimeException tooLarge() {
        return Problems.payloadTooLarge("The image archive is larger than the limit of "
                + maxUpload / (1024 * 1024) + " MB (containers.images.max-upload-size).");
    }
}
