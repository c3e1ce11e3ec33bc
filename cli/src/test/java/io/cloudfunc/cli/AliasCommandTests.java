package io.cloudfunc.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code cloudfunc alias}: one version, a split by weight ({@code 3=90 4=10}), and what it refuses locally. */
class AliasCommandTests {

    private static final String SPLIT = "{\"functionName\":\"f\",\"alias\":\"prod\",\"version\":3,"
            + "\"weights\":[{\"version\":3,\"weight\":90},{\"version\":4,\"weight\":10}]}";
    private static final String SINGLE = "{\"functionName\":\"f\",\"alias\":\"prod\",\"version\":4,"
            + "\"weights\":[{\"version\":4,\"weight\":100}]}";

    @Test
    void oneVersionIsAVersionAndVersionEqualsPercentIsASplit() {
        assertThat(AliasCommand.body(List.of("3")).toString()).isEqualTo("{\"version\":3}");
        assertThat(AliasCommand.body(List.of("3=90", "4=10")).toString())
                .isEqualTo("{\"weights\":[{\"version\":3,\"weight\":90},{\"version\":4,\"weight\":10}]}");
        // the registry checks the sum (and answers with a problem that the CLI prints)
        assertThat(AliasCommand.body(List.of("1=100")).toString())
                .isEqualTo("{\"weights\":[{\"version\":1,\"weight\":100}]}");
    }

    @Test
    void malformedTargetsAreUsageErrors() {
        for (List<String> targets : List.of(List.of("3", "4"), List.of("3=90", "4"), List.of("three"),
                List.of("3=ninety"), List.of("0=100"), List.of("3:90", "4:10"), List.of("-1"),
                List.of("1=20", "2=20", "3=20", "4=20", "5=20"))) {
            assertThatThrownBy(() -> AliasCommand.body(targets)).as(targets.toString())
                    .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(2));
        }
    }

    @Test
    void printsTheSplitOrTheOneVersionTheAliasNowRuns() throws Exception {
        try (var gateway = StubGateway.start((method, uri) -> StubGateway.Answer.ok(
                uri.endsWith("/prod") && method.equals("PUT") ? SPLIT : SINGLE))) {
            CliRun split = gateway.run("alias", "f", "prod", "3=90", "4=10");
            assertThat(split.code()).isZero();
            assertThat(split.out().strip()).isEqualTo("f:prod -> version 3 (90%), version 4 (10%)");

            CliRun json = gateway.run("alias", "f", "prod", "3=90", "4=10", "-o", "json");
            assertThat(GatewayClient.JSON.readTree(json.out()).path("weights").size()).isEqualTo(2);

            CliRun bad = gateway.run("alias", "f", "prod", "3=90", "4");
            assertThat(bad.code()).isEqualTo(2);
            assertThat(bad.err()).contains("'4' is not VERSION=PERCENT");
            assertThat(gateway.run("alias", "f", "prod").code()).isEqualTo(2);
            assertThat(gateway.requests).containsExactly("PUT /functions/f/aliases/prod",
                    "PUT /functions/f/aliases/prod");
        }
    }

    @Test
    void statsOfOneFunctionThatRanSeveralVersionsHaveARowPerVersion() throws Exception {
        String stats = "{\"window\":\"1h\",\"from\":\"x\",\"to\":\"y\",\"stats\":{\"functionName\":\"f\","
                + "\"invocations\":10},\"versions\":[{\"version\":3,\"stats\":{\"functionName\":\"f\","
                + "\"invocations\":9}},{\"version\":4,\"stats\":{\"functionName\":\"f\",\"invocations\":1}}]}";
        try (var gateway = StubGateway.start(uri -> StubGateway.Answer.ok(stats))) {
            CliRun run = gateway.run("stats", "f");

            assertThat(run.code()).isZero();
            List<String> lines = run.out().lines().toList();
            assertThat(lines).hasSize(5);
            assertThat(lines.get(2)).startsWith("f ").contains("10");
            assertThat(lines.get(3)).startsWith("f:3").contains("9");
            assertThat(lines.get(4)).startsWith("f:4").contains("1");
        }
    }
}
