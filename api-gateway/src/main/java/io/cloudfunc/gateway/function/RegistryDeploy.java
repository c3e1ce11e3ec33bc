package io.cloudfunc.gateway.function;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * The registry's deploy request: multipart/form-data with a {@code metadata} JSON part and a {@code code} zip part.
 * The archive is streamed from wherever the upload sits (memory or temporary file), not copied.
 *
 * @param contentType the multipart content type with its boundary
 * @param body        the whole body, read once
 * @param length      its exact length
 */
record RegistryDeploy(String contentType, InputStream body, long length) {

    static RegistryDeploy of(byte[] metadataJson, String fileName, long codeSize, InputStream code) {
        String boundary = "cloudfunc-" + UUID.randomUUID();
        byte[] metadataHead = ("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"metadata\"\r\n"
                + "Content-Type: application/json\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] codeHead = ("\r\n--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"code\"; filename=\"" + fileName + "\"\r\n"
                + "Content-Type: application/zip\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        List<InputStream> pieces = List.of(new ByteArrayInputStream(metadataHead),
                new ByteArrayInputStream(metadataJson), new ByteArrayInputStream(codeHead), code,
                new ByteArrayInputStream(tail));
        long length = metadataHead.length + metadataJson.length + codeHead.length + codeSize + tail.length;
        return new RegistryDeploy("multipart/form-data; boundary=" + boundary,
                new SequenceInputStream(Collections.enumeration(pieces)), length);
    }
}
