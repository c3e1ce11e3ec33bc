package io.cloudfunc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.cli.StubGateway.Answer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** invoke --async, invocations, invocation --wait and dead-letters against a stand-in gateway on loopback. */
class AsyncCommandsTests {

    private static final String ID = "3f1c2b9e-6d2a-4c51-9a43-0c2f5e7d8b10";
    private static final String FAILING = "0b6f3c8e-2f0e-4f5b-9d7c-1a2b3c4d5e6f";

    private final AtomicInteger polls = new AtomicInteger();
    private StubGateway gateway;

    @BeforeEach
    void startGateway() throws Exception {
        gateway = StubGateway.start(uri -> {
            if (uri.startsWith("/functions/later/invoke")) {
                return new Answer(202, "{\"invocationId\":\"" + ID + "\",\"status\":\"QUEUED\","
                        + "\"links\":{\"self\":\"/invocations/" + ID + "\"}}");
            } else if (uri.equals("/invocations/" + ID)) {
                return Answer.ok(polls.incrementAndGet() < 3
                        ? "{\"id\":\"" + ID + "\",\"status\":\"QUEUED\",\"attempt\":1}"
                        : "{\"id\":\"" + ID + "\",\"status\":\"SUCCEEDED\",\"attempt\":2,\"result\":{\"ok\":true}}");
            } else if (uri.equals("/invocations/" + FAILING)) {
                return Answer.ok("{\"id\":\"" + FAILING + "\",\"status\":\"FAILED\",\"attempt\":3,"
                        + "\"deadLettered\":true,\"error\":{\"type\":\"ValueError\",\"message\":\"no\"}}");
            } else if (uri.startsWith("/functions/later/invocations") && uri.contains("cursor=c2")) {
                return Answer.ok("{\"items\":[{\"id\":\"" + FAILING + "\",\"status\":\"FAILED\"}],"
                        + "\"nextCursor\":null}");
            } else if (uri.startsWith("/functions/later/invocations")) {
                return Answer.ok("{\"items\":[{\"id\":\"" + ID + "\",\"status\":\"SUCCEEDED\","
                        + "\"mode\":\"ASYNC\"}],\"nextCursor\":\"c2\"}");
            } else if (uri.startsWith("/dead-letters")) {
                return Answer.ok("{\"items\":[{\"id\":\"" + FAILING + "\",\"functionName\":\"later\","
                        + "\"status\":\"FAILED\",\"attempt\":3}],\"nextCursor\":null}");
            }
            return new Answer(404, "{\"status\":404,\"detail\":\"nothing here\"}");
        });
    }

    @AfterEach
    void stopGateway() {
        gateway.close();
    }

    @Test
    void invokeAsyncPrintsTheIdAndSendsTheCallback() {
        CliRun run = gateway.run("invoke", "later", "--async", "--callback-url", "https://hooks.example.org/x?a=1");

        assertThat(run.code()).isZero();
        assertThat(run.out().strip()).isEqualTo(ID);
        assertThat(gateway.requests).containsExactly("POST /functions/later/invoke?async=true&callbackUrl="
                + "https%3A%2F%2Fhooks.example.org%2Fx%3Fa%3D1");
        assertThat(gateway.run("invoke", "later", "--callback-url", "http://x").code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void invocationWaitPollsUntilFinalAndExitsByStatus() {
        CliRun ok = gateway.run("invocation", ID, "--wait", "--wait-timeout", "20s");
        assertThat(ok.code()).isZero();
        assertThat(ok.err()).contains("QUEUED (attempt 1)");
        assertThat(ok.out()).contains("SUCCEEDED").contains("{\"ok\":true}");
        assertThat(polls.get()).isEqualTo(3);

        CliRun failed = gateway.run("invocation", FAILING, "--wait");
        assertThat(failed.code()).isEqualTo(ExitCodes.FUNCTION_ERROR);
        assertThat(failed.out()).contains("ValueError").contains("true");

        assertThat(gateway.run("invocation", "not-an-id").code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void invocationsFollowsCursorsWithAll() {
        CliRun first = gateway.run("invocations", "later", "--status", "failed", "--limit", "1");
        assertThat(first.out()).contains(ID).doesNotContain(FAILING);
        assertThat(gateway.requests.getLast()).isEqualTo("GET /functions/later/invocations?limit=1&status=FAILED");

        CliRun all = gateway.run("invocations", "later", "--all", "-o", "json");
        assertThat(all.code()).isZero();
        assertThat(all.out()).contains(ID).contains(FAILING);
        assertThat(gateway.requests.getLast()).endsWith("&cursor=c2");

        assertThat(gateway.run("invocations", "later", "--since", "1h").code()).isZero();
        assertThat(gateway.requests.getLast()).contains("&from=");
        assertThat(gateway.run("invocations", "later", "--limit", "0").code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void deadLettersListsFailedAsyncCalls() {
        CliRun run = gateway.run("dead-letters", "later");

        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("ATTEMPT").contains("FUNCTION").contains(FAILING).contains("later");
        assertThat(gateway.requests.getLast()).isEqualTo("GET /dead-letters?limit=50&function=later");
    }
}
