package io.cloudfunc.contracts.image;

import java.util.List;

/**
 * The answer to an image upload ({@code POST /images}).
 *
 * @param images what the archive held, as the Docker engine reports it: tags ({@code myorg/resize:1.0}), or image
 *               ids for images saved without a tag
 */
public record ImagesLoaded(List<String> images) {

    public ImagesLoaded {
        images = images == null ? List.of() : List.copyOf(images);
    }
}
