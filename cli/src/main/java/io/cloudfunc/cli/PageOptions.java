package io.cloudfunc.cli;

import picocli.CommandLine.Option;

/** {@code --limit N} and {@code --all} of the commands that list pages of invocations. */
final class PageOptions {

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N per page, 1 to 500 "
            + "(default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--all", description = "Follow the pages to the end (else only the first page).")
    boolean all;

    /** The page size, checked: a usage error (exit 2) outside 1 to 500. */
    int checkedLimit() {
        if (limit < 1 || limit > 500) {
            throw new CliException(ExitCodes.USAGE, "--limit must be from 1 to 500, got " + limit);
        }
        return limit;
    }
}
