package io.cloudfunc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class OutputTests {

    private static final String[] HEADERS = {"NAME", "KIND"};
    private static final String[] FIELDS = {"name", "kind"};

    private static String print(List<JsonNode> rows) {
        var text = new StringWriter();
        Output.table(new PrintWriter(text), rows, "No triggers.", HEADERS, FIELDS);
        return text.toString();
    }

    @Test
    void aListWithoutRowsPrintsItsOneLine() {
        assertThat(print(List.of())).isEqualTo("No triggers." + System.lineSeparator());
    }

    @Test
    void aListWithRowsPrintsItsTableAlignedWithMissingFieldsAsDashes() {
        String table = print(List.of(GatewayClient.JSON.readTree("{\"name\":\"orders\",\"kind\":\"rabbitmq\"}"),
                GatewayClient.JSON.readTree("{\"name\":\"s\"}")));

        assertThat(table.lines()).containsExactly("NAME    KIND", "orders  rabbitmq", "s       -");
    }
}
