package io.cloudfunc.cli;

import java.io.PrintWriter;
import tools.jackson.databind.JsonNode;

/**
 * Shows a deploy's dependency build as it runs: while the deploy's request is waiting, a background thread polls
 * {@code GET /builds/{id}/log?from=N} (the id the deploy was sent with) and prints new lines to stderr. It starts
 * after {@link #FIRST_POLL_MS}, so that a deploy with nothing to build (most answer sooner) makes no extra request;
 * a 404 means the build has not started, or there is none.
 */
final class BuildLogStream implements AutoCloseable {

    static final long FIRST_POLL_MS = 400;
    static final long POLL_MS = 500;
    static final String PREFIX = "  build | ";

    private final GatewayClient client;
    private final String buildId;
    private final PrintWriter err;
    private final Thread poller;
    private volatile boolean stopped;
    private int next;
    private boolean seen;
    private boolean done;

    private BuildLogStream(GatewayClient client, String buildId, PrintWriter err) {
        this.client = client;
        this.buildId = buildId;
        this.err = err;
        this.poller = Thread.ofPlatform().daemon().name("build-log").unstarted(this::run);
    }

    /** Starts following the build's log; closing stops it and prints what is left of a build it saw. */
    static BuildLogStream follow(GatewayClient client, String buildId, PrintWriter err) {
        BuildLogStream stream = new BuildLogStream(client, buildId, err);
        stream.poller.start();
        return stream;
    }

    private void run() {
        try {
            Thread.sleep(FIRST_POLL_MS);
            while (!stopped && !done) {
                poll();
                Thread.sleep(POLL_MS);
            }
        } catch (InterruptedException e) {
            // the deploy answered
        }
    }

    /** One page of the log, printed; false when there is none (yet). */
    private synchronized void poll() {
        JsonNode page;
        try {
            page = client.json(client.get("/builds/" + buildId + "/log?from=" + next));
        } catch (CliException e) {
            return; // not started, or no build: the deploy's answer says what matters
        }
        seen = true;
        for (JsonNode line : page.path("lines")) {
            err.println(PREFIX + line.asString());
        }
        err.flush();
        next = page.path("next").asInt(next);
        done = page.path("done").asBoolean(false);
    }

    @Override
    public void close() {
        stopped = true;
        poller.interrupt();
        try {
            poller.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (seen && !done) {
            poll();
        }
    }
}
