package io.cloudfunc.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;

/** Prints answers as aligned tables or as pretty JSON. */
final class Output {

    private Output() {
    }

    static void json(PrintWriter out, JsonNode node) {
        out.println(GatewayClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        out.flush();
    }

    /** A table of the given fields of each object; missing fields print as "-". */
    static void table(PrintWriter out, List<JsonNode> rows, String[] headers, String[] fields) {
        List<String[]> cells = new ArrayList<>();
        cells.add(headers);
        for (JsonNode row : rows) {
            String[] line = new String[fields.length];
            for (int i = 0; i < fields.length; i++) {
                line[i] = text(row.get(fields[i]));
            }
            cells.add(line);
        }
        int[] widths = new int[headers.length];
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        for (String[] line : cells) {
            var sb = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                sb.append(i == line.length - 1 ? line[i] : String.format("%-" + (widths[i] + 2) + "s", line[i]));
            }
            out.println(sb.toString().stripTrailing());
        }
        out.flush();
    }

    /** {@link #table}, or the one line {@code empty} when there are no rows (a list command's "No ..."). */
    static void table(PrintWriter out, List<JsonNode> rows, String empty, String[] headers, String[] fields) {
        if (rows.isEmpty()) {
            out.println(empty);
            out.flush();
            return;
        }
        table(out, rows, headers, fields);
    }

    /** A list answer: pretty JSON when {@code json}, else a table with a row per element as {@code row} makes it. */
    static void list(boolean json, PrintWriter out, JsonNode all, UnaryOperator<JsonNode> row, String[] headers,
            String[] fields) {
        if (json) {
            json(out, all);
            return;
        }
        List<JsonNode> rows = new ArrayList<>();
        all.forEach(element -> rows.add(row.apply(element)));
        table(out, rows, headers, fields);
    }

    /** Key/value lines for one object; a field may be a dotted path ({@code error.type}). */
    static void fields(PrintWriter out, JsonNode node, String[] labels, String[] fields) {
        int width = 0;
        for (String label : labels) {
            width = Math.max(width, label.length());
        }
        for (int i = 0; i < fields.length; i++) {
            out.printf("%-" + (width + 2) + "s%s%n", labels[i] + ":", text(node.at("/" + fields[i].replace('.', '/'))));
        }
        out.flush();
    }

    static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "-";
        }
        if (value.isString()) {
            return value.asString();
        }
        if (value.isObject() && value.isEmpty()) {
            return "-";
        }
        return value.toString();
    }
}
