package io.cloudfunc.gateway.image;

import io.cloudfunc.support.image.ImageArchiveFormat;
import io.cloudfunc.support.problem.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.jakarta.servlet6.JakartaServletFileUpload;

/**
 * Receiving an image upload, and what it must look like before a container-manager is bothered with it. The archive
 * comes either as the raw body ({@code Content-Type: application/x-tar}) or as the {@code image} part of a
 * {@code multipart/form-data} body ({@code curl -F image=@my-function.tar}, as seed 004 uploads). The form is read
 * as a stream here, not by the servlet, whose multipart limits are those of code archives.
 */
final class ImageUploads {

    /** The form's one part. */
    static final String PART = "image";
    /** Parts a form may have in all: the image, and a few fields a client may add (refused by name). */
    private static final int MAX_PARTS = 8;

    private ImageUploads() {
    }

    /**
     * Writes the archive to {@code file} and returns its size.
     *
     * @throws io.cloudfunc.support.problem.ProblemException from {@code tooLarge} as soon as more than {@code max}
     *                                                       bytes came, or a 400 for a form without its part
     */
    static long receive(HttpServletRequest request, Path file, long max, Supplier<RuntimeException> tooLarge)
            throws IOException {
        if (!JakartaServletFileUpload.isMultipartContent(request)) {
            return spool(request.getInputStream(), file, max, tooLarge);
        }
        var upload = new JakartaServletFileUpload<>();
        upload.setMaxFileCount(MAX_PARTS);
        long size = -1;
        try {
            FileItemInputIterator parts = upload.getItemIterator(request);
            while (parts.hasNext()) {
                FileItemInput part = parts.next();
                if (!PART.equals(part.getFieldName())) {
                    throw Problems.invalidRequest("Unknown part '" + part.getFieldName()
                            + "': the form has one part, '" + PART + "', holding the archive docker save writes.");
                }
                if (size >= 0) {
                    throw Problems.invalidRequest("The '" + PART + "' part is given twice.");
                }
                try (InputStream in = part.getInputStream()) {
                    size = spool(in, file, max, tooLarge);
                }
            }
        } catch (FileUploadException e) {
            throw Problems.invalidRequest(
                    "The multipart/form-data body could not be read: it is malformed or has too many parts.");
        }
        if (size < 0) {
            throw Problems.invalidImageArchive("The form has no '" + PART + "' part: send the archive docker save"
                    + " writes as -F " + PART + "=@my-image.tar, or as the body (Content-Type: application/x-tar).");
        }
        return size;
    }

    static void check(Path archive, long size) throws IOException {
        if (size == 0) {
            throw Problems.invalidImageArchive("The archive is empty: send the archive docker save writes, as the"
                    + " body (Content-Type: application/x-tar) or as the '" + PART + "' part of a form.");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(archive)) {
            head = in.readNBytes(ImageArchiveFormat.HEAD_BYTES);
        }
        if (!ImageArchiveFormat.recognised(head)) {
            throw Problems.invalidImageArchive("The archive is not a docker save archive (a tar file, possibly"
                    + " compressed).");
        }
    }

    private static long spool(InputStream in, Path file, long max, Supplier<RuntimeException> tooLarge)
            throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > max) {
                    throw tooLarge.get();
                }
                out.write(buffer, 0, n);
            }
        }
        return total;
    }
}
