package io.cloudfunc.containers.images;

import io.cloudfunc.containers.docker.ContainerEngine;
import io.cloudfunc.containers.docker.ContainerEngine.ImageSummary;
import io.cloudfunc.contracts.image.ImageView;
import java.io.InputStream;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The images of this manager's Docker engine that functions can run. Every tagged image is listed: any of them may
 * honour the stdin/stdout contract, and the engine is the platform's own, so nothing is hidden from its users.
 * Nothing is cached: an upload may replace a tag at any time, and an inspect costs a few milliseconds.
 */
@Service
public class ImageCatalog {

    private static final Logger log = LoggerFactory.getLogger(ImageCatalog.class);

    private final ContainerEngine engine;

    public ImageCatalog(ContainerEngine engine) {
        this.engine = engine;
    }

    public Optional<ImageSummary> find(String reference) {
        return engine.inspectImage(reference);
    }

    List<ImageView> list() {
        return engine.listImages().stream()
                .map(ImageCatalog::view)
                .sorted(Comparator.comparing(view -> view.tags().getFirst()))
                .toList();
    }

    /** Loads a {@code docker save} archive; the tags it held, as the engine reports them. */
    List<String> load(InputStream archive) {
        List<String> loaded = engine.loadImages(archive);
        log.info("Loaded images {}", loaded);
        return loaded;
    }

    static ImageView view(ImageSummary image) {
        return new ImageView(image.id(), image.tags().stream().sorted().toList(), image.size(), image.created(),
                ImageProtocol.of(image).label());
    }
}
