package io.cloudfunc.registry.invocation;

import io.cloudfunc.support.problem.Problems;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Where a page of history ends: the (acceptedAt, id) of its last record, the keyset the next page starts below.
 * Opaque to clients: URL-safe base64 of {@code <epoch micros>:<uuid>}.
 */
record HistoryCursor(Instant acceptedAt, UUID id) {

    String encode() {
        long micros = acceptedAt.getEpochSecond() * 1_000_000L + acceptedAt.getNano() / 1_000;
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((micros + ":" + id).getBytes(StandardCharsets.US_ASCII));
    }

    /** @throws io.cloudfunc.support.problem.ProblemException 400 for anything this class did not write */
    static HistoryCursor decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            int colon = text.indexOf(':');
            long micros = Long.parseLong(text.substring(0, colon));
            UUID id = UUID.fromString(text.substring(colon + 1));
            return new HistoryCursor(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                    Math.floorMod(micros, 1_000_000L) * 1_000L), id);
        } catch (IllegalArgumentException | IndexOutOfBoundsException | java.time.DateTimeException e) {
            throw Problems.invalidRequest("cursor '" + cursor + "' is not a cursor this API returned");
        }
    }
}
