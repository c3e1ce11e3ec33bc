package io.cloudfunc.bench.report;

import java.util.List;

/** One scenario of the report: its rows and a short explanation of what the figures mean. */
public record Section(String id, String title, String explanation, List<Row> rows) {

    public Section {
        rows = List.copyOf(rows);
    }
}
