package io.cloudfunc.contracts.function;

import java.util.List;

/**
 * A page of a dependency build's log ({@code GET /builds/{id}/log?from=N}): the lines from {@code from} on, while
 * the build runs and for a while after it ended. A client polls with {@code from} set to the last answer's
 * {@code next} until {@code done}.
 *
 * @param id    the build's id, chosen by the deploy's caller ({@code ?buildId=})
 * @param lines the log's lines from the requested one on
 * @param next  the number of the line after the last one given
 * @param done  the build has ended: no line will follow
 */
public record BuildLog(String id, List<String> lines, int next, boolean done) {

    public BuildLog {
        lines = lines == null ? List.of() : List.copyOf(lines);
    }
}
