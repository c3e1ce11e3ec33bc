package io.cloudfunc.containers.invocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudfunc.contracts.messaging.InvokeFunction;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Parsing of InvokeFunction messages: what is processed, what is dead-lettered and what can still be recorded. */
class InvocationListenerTests {

    private final InvocationListener listener = new InvocationListener(null, null, null, null,
            JsonMapper.builder().build());
    private final UUID id = UUID.randomUUID();

    @Test
    void parsesAValidMessage() throws Exception {
        InvokeFunction command = listener.parse(bytes("{\"invocationId\":\"" + id + "\",\"functionName\":\"hello\","
                + "\"version\":3,\"payload\":{\"name\":\"Alice\"},\"acceptedAt\":\"2026-01-01T00:00:00Z\"}"));

        assertThat(command.invocationId()).isEqualTo(id);
        assertThat(command.version()).isEqualTo(3);
        assertThat(command.payload().path("name").stringValue()).isEqualTo("Alice");
    }

    @Test
    void rejectsABodyThatIsNotJsonWithoutAnInvocationId() {
        assertThatThrownBy(() -> listener.parse(bytes("hello?")))
                .isInstanceOfSatisfying(InvocationListener.InvalidMessageException.class,
                        e -> assertThat(e.invocationId).isNull());
    }

    @Test
    void rejectsAMessageWithoutFunctionNameButKeepsItsInvocationId() {
        assertThatThrownBy(() -> listener.parse(bytes("{\"invocationId\":\"" + id + "\",\"version\":1}")))
                .isInstanceOfSatisfying(InvocationListener.InvalidMessageException.class, e -> {
                    assertThat(e.invocationId).isEqualTo(id);
                    assertThat(e.getMessage()).contains("functionName");
                });
    }

    @Test
    void rejectsInvalidNamesAndVersions() {
        assertThatThrownBy(() -> listener.parse(bytes("{\"invocationId\":\"" + id
                + "\",\"functionName\":\"../etc\",\"version\":1}")))
                .hasMessageContaining("functionName");
        assertThatThrownBy(() -> listener.parse(bytes("{\"invocationId\":\"" + id
                + "\",\"functionName\":\"hello\",\"version\":0}")))
                .hasMessageContaining("version");
        assertThatThrownBy(() -> listener.parse(bytes("{\"invocationId\":\"not-a-uuid\","
                + "\"functionName\":\"hello\",\"version\":1}")))
                .hasMessageContaining("invocationId");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
