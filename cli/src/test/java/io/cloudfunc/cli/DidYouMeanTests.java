package io.cloudfunc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DidYouMeanTests {

    private static final String FUNCTIONS = "[{\"name\":\"hello_fn\"},{\"name\":\"resize\"}]";

    private static StubGateway.Answer notFound(String name, String extra) {
        return new StubGateway.Answer(404, "{\"type\":\"urn:cloudfunc:problem:function-not-found\",\"status\":404,"
                + "\"detail\":\"no function named '" + name + "'\",\"functionName\":\"" + name + "\"" + extra + "}");
    }

    @Test
    void anUnknownFunctionNameGetsTheCloseDeployedOne() throws Exception {
        try (var gateway = StubGateway.start(uri -> uri.equals("/functions") ? StubGateway.Answer.ok(FUNCTIONS)
                : notFound("helo_fn", ""))) {
            CliRun invoke = gateway.run("invoke", "helo_fn");
            CliRun describe = gateway.run("describe", "helo_fn");

            assertThat(invoke.code()).isEqualTo(3);
            assertThat(invoke.err()).isEqualTo("Error: no function named 'helo_fn' (did you mean 'hello_fn'?)\n");
            assertThat(describe.err()).contains("(did you mean 'hello_fn'?)");
        }
    }

    @Test
    void noSuggestionWhenNothingIsCloseOrTheListIsRefused() throws Exception {
        try (var gateway = StubGateway.start(uri -> uri.equals("/functions") ? StubGateway.Answer.ok(FUNCTIONS)
                : notFound("payments", ""))) {
            CliRun run = gateway.run("invoke", "payments");

            assertThat(run.code()).isEqualTo(3);
            assertThat(run.err()).isEqualTo("Error: no function named 'payments'\n");
        }
        try (var gateway = StubGateway.start(uri -> uri.equals("/functions")
                ? new StubGateway.Answer(403, "{\"status\":403,\"detail\":\"role invoker may not\"}")
                : notFound("helo_fn", ""))) {
            CliRun run = gateway.run("invoke", "helo_fn");

            assertThat(run.code()).isEqualTo(3);
            assertThat(run.err()).isEqualTo("Error: no function named 'helo_fn'\n");
        }
    }

    @Test
    void aMissingVersionOfAnExistingFunctionAsksForNoList() throws Exception {
        try (var gateway = StubGateway.start(uri -> uri.equals("/functions") ? StubGateway.Answer.ok(FUNCTIONS)
                : notFound("hello_fn", ",\"version\":9"))) {
            CliRun run = gateway.run("invoke", "hello_fn:9");

            assertThat(run.code()).isEqualTo(3);
            assertThat(run.err()).doesNotContain("did you mean");
            assertThat(gateway.requests).containsExactly("POST /functions/hello_fn:9/invoke");
        }
    }
}
