package io.cloudfunc.containers.images;

import io.cloudfunc.containers.docker.ContainerEngine.ImageSummary;
import java.util.Locale;

/**
 * How the manager calls a function image, told by the image's {@code io.cloudfunc.protocol} label
 * (docs/runtime-contract.md, "Image functions").
 */
public enum ImageProtocol {

    /** Seed 004's contract, the default: the event on stdin, the result on stdout, exit 0; one container per call. */
    STDIO,
    /** The image embeds a CloudFunc runtime (runtime protocol over the unix socket): pooled like the languages. */
    SOCKET;

    /** The runtime name of functions that run an image of their own. */
    public static final String RUNTIME = "image";
    public static final String LABEL = "io.cloudfunc.protocol";
    /** Socket images: where the baked-in code is, given to the runtime as {@code codeDir} (default /cloudfunc/code). */
    public static final String CODE_DIR_LABEL = "io.cloudfunc.code-dir";
    /** Socket images: the handler when the function names none. */
    public static final String HANDLER_LABEL = "io.cloudfunc.handler";

    public static ImageProtocol of(ImageSummary image) {
        String value = image.labels().get(LABEL);
        return value != null && value.strip().toLowerCase(Locale.ROOT).equals("socket") ? SOCKET : STDIO;
    }

    /** As {@code GET /images} shows it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
