package io.cloudfunc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.cli.StubGateway.Answer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code cloudfunc logs} against a stand-in gateway on loopback. */
class LogsCommandTests {

    private static final String A = "aaaaaaaa-0000-4000-8000-000000000001";
    private static final String B = "bbbbbbbb-0000-4000-8000-000000000002";
    private static final String C = "cccccccc-0000-4000-8000-000000000003";

    private final AtomicInteger polls = new AtomicInteger();
    private StubGateway gateway;

    @BeforeEach
    void startGateway() throws Exception {
        gateway = StubGateway.start(uri -> {
            if (uri.startsWith("/functions/talker/logs?") && uri.contains("since=")) {
                // the first poll finds C, later ones nothing new
                return Answer.ok(polls.getAndIncrement() == 0 ? "[" + logs(C, "third\n", false) + "]" : "[]");
            } else if (uri.startsWith("/functions/talker/logs")) {
                return Answer.ok("[" + logs(A, "first\n", false) + ","
                        + logs(B, "x".repeat(5) + "\n...[truncated]", true) + "]");
            } else if (uri.startsWith("/functions/quiet/logs")) {
                return Answer.ok("[]");
            } else if (uri.equals("/invocations/" + B + "/logs")) {
                return Answer.ok(logs(B, "second\n", false));
            }
            return new Answer(404, "{\"type\":\"urn:cloudfunc:problem:function-not-found\","
                    + "\"title\":\"Function not found\",\"status\":404,\"detail\":\"no function named 'nope'\"}");
        });
    }

    @AfterEach
    void stopGateway() {
        gateway.close();
    }

    @Test
    void printsTheLatestInvocationsLogsOldestFirstAndMarksTruncation() {
        CliRun run = gateway.run("logs", "talker");

        assertThat(run.code()).isZero();
        assertThat(run.out()).containsSubsequence("==> " + A + " v1 SUCCEEDED 2026-03-01T10:00:00Z <==", "first",
                "==> " + B + " v1 SUCCEEDED 2026-03-01T10:00:00Z (truncated) <==", "xxxxx\n...[truncated]");
        assertThat(gateway.requests).containsExactly("GET /functions/talker/logs?limit=10");
    }

    @Test
    void printsOneInvocationsLogs() {
        CliRun run = gateway.run("logs", "talker", "--invocation", B);

        assertThat(run.code()).isZero();
        assertThat(run.out()).isEqualTo("==> " + B + " v1 SUCCEEDED 2026-03-01T10:00:00Z <==\nsecond\n");
    }

    @Test
    void refusesAnInvocationOfAnotherFunction() {
        CliRun run = gateway.run("logs", "someone-else", "--invocation", B);

        assertThat(run.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(run.err()).contains("is not an invocation of someone-else");
    }

    @Test
    void followsWithTheLastInvocationAsCursorUntilTheLimit() {
        CliRun run = gateway.run("logs", "talker", "--follow", "--tail", "1", "--limit", "2", "--interval", "10ms");

        assertThat(run.code()).isZero();
        assertThat(run.out()).doesNotContain(A).contains(B).contains("third");
        assertThat(gateway.requests).containsExactly("GET /functions/talker/logs?limit=1",
                "GET /functions/talker/logs?since=2026-03-01T10%3A00%3A00Z&limit=100&afterId=" + B);
    }

    @Test
    void jsonOutputIsOneObjectPerLine() {
        CliRun run = gateway.run("--output", "json", "logs", "talker");

        assertThat(run.out().lines()).hasSize(2).allSatisfy(line -> assertThat(line).startsWith("{\"invocationId\""));
    }

    @Test
    void saysSoWhenThereIsNothingYetAndFailsForAnUnknownFunction() {
        assertThat(gateway.run("logs", "quiet").out()).isEqualTo("No finished invocations of quiet yet.\n");

        CliRun unknown = gateway.run("logs", "nope");
        assertThat(unknown.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknown.err().strip()).isEqualTo("Error: no function named 'nope'");
    }

    private static String logs(String id, String text, boolean truncated) {
        return "{\"invocationId\":\"" + id + "\",\"functionName\":\"talker\",\"version\":1,\"status\":\"SUCCEEDED\","
                + "\"finishedAt\":\"2026-03-01T10:00:00Z\",\"logs\":" + quoted(text) + ",\"truncated\":" + truncated
                + "}";
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\n", "\\n") + "\"";
    }

}
