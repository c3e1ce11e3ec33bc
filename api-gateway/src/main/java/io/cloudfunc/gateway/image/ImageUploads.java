package io.cloudfunc.gateway.image;

import io.cloudfunc.support.image.ImageArchiveFormat;
import io.cloudfunc.support.problem.Problems;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** What an image upload must look like before a container-manager is bothered with it. */
final class ImageUploads {

    private ImageUploads() {
    }

    static void check(Path archive, long size) throws IOException {
        if (size == 0) {
            throw Problems.invalidImageArchive("The body is empty: send the archive docker save writes"
                    + " (Content-Type: application/x-tar).");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(archive)) {
            head = in.readNBytes(ImageArchiveFormat.HEAD_BYTES);
        }
        if (!ImageArchiveFormat.recognised(head)) {
            throw Problems.invalidImageArchive("The body is not a docker save archive (a tar file, possibly"
                    + " compressed).");
        }
    }
}
