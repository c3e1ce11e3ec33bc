package io.cloudfunc.containers.invocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.containers.runtime.CallOutcome;
import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.StringNode;

class OutputLimitsTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final OutputLimits limits = new OutputLimits(100, 64);

    @Test
    void resultOverTheCapFailsTheCallAndKeepsItsLogs() {
        CallOutcome big = new CallOutcome(true, StringNode.valueOf("x".repeat(150)), null, "working\n", 200);

        CallOutcome enforced = limits.enforce(big);

        assertThat(enforced.ok()).isFalse();
        assertThat(enforced.result()).isNull();
        assertThat(enforced.error().type()).isEqualTo("ResultTooLarge");
        assertThat(enforced.error().message()).contains("152 bytes").contains("100 bytes");
        assertThat(enforced.logs()).isEqualTo("working\n");
    }

    @Test
    void resultWithinTheCapInABigFrameIsKept() {
        // the frame is over the cap because of the logs, not the result
        CallOutcome outcome = new CallOutcome(true, JSON.readTree("{\"a\":1}"), null, "y".repeat(60), 180);

        assertThat(limits.enforce(outcome)).isSameAs(outcome);
    }

    @Test
    void failedCallWithABigFrameIsNotTurnedIntoResultTooLarge() {
        CallOutcome failed = new CallOutcome(false, null, FunctionError.of("E", "m"),
                "", 500);

        assertThat(limits.enforce(failed).error().type()).isEqualTo("E");
    }

    @Test
    void logsOverTheCapAreCutAndMarked() {
        String logs = "z".repeat(100);

        String capped = limits.capLogs(logs);

        assertThat(capped).isEqualTo("z".repeat(64) + OutputLimits.TRUNCATION_MARK);
    }

    @Test
    void logsAreCutOnACharacterBoundary() {
        String logs = "é".repeat(40); // 80 bytes of UTF-8

        String capped = limits.capLogs(logs);

        assertThat(capped).isEqualTo("é".repeat(32) + OutputLimits.TRUNCATION_MARK);
        assertThat(capped.substring(0, capped.length() - OutputLimits.TRUNCATION_MARK.length())
                .getBytes(StandardCharsets.UTF_8)).hasSize(64);
    }

    @Test
    void logsARuntimeAlreadyCutAtTheSameCapAreLeftAsTheyAre() {
        String runtimeCut = "a".repeat(64) + OutputLimits.TRUNCATION_MARK;

        assertThat(limits.capLogs(runtimeCut)).isSameAs(runtimeCut);
        assertThat(limits.capLogs("short")).isEqualTo("short");
        assertThat(limits.capLogs(null)).isEmpty();
    }

    @Test
    void namesTheLimitsACallRanInto() {
        assertThat(OutputLimits.limitsHit(InvocationStatus.TIMED_OUT,
                FunctionError.of("TimeoutError", "late"), "a" + OutputLimits.TRUNCATION_MARK))
                .containsExactlyInAnyOrder(OutputLimits.Limit.TIMEOUT, OutputLimits.Limit.LOG_SIZE);
        assertThat(OutputLimits.limitsHit(InvocationStatus.FAILED,
                FunctionError.of("OutOfMemoryError", "oom"), ""))
                .containsExactly(OutputLimits.Limit.MEMORY);
        assertThat(OutputLimits.limitsHit(InvocationStatus.FAILED,
                FunctionError.of("ResultTooLarge", "big"), null))
                .containsExactly(OutputLimits.Limit.RESULT_SIZE);
        assertThat(OutputLimits.limitsHit(InvocationStatus.SUCCEEDED, null, "ok"))
                .isEmpty();
    }
}
