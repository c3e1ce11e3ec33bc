package io.cloudfunc.contracts.image;

import java.time.Instant;
import java.util.List;

/**
 * An image functions of runtime {@code image} can run, as {@code GET /images} lists it.
 *
 * @param id        the image id ({@code sha256:...})
 * @param tags      its references ({@code myorg/resize:1.0}); a function names one of them
 * @param sizeBytes bytes on disk
 * @param created   when it was built
 * @param protocol  how the platform calls it: {@code stdio} (the event on stdin, the result on stdout, one container
 *                  per call) or {@code socket} (the CloudFunc runtime protocol, pooled warm containers), from the
 *                  image's {@code io.cloudfunc.protocol} label
 */
public record ImageView(String id, List<String> tags, long sizeBytes, Instant created, String protocol) {

    public ImageView {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
