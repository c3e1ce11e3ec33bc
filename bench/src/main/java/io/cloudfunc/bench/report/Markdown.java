package io.cloudfunc.bench.report;

import java.util.Map;
import java.util.stream.Collectors;

/** Renders a {@link Report} as Markdown: targets first, then one table per scenario, then the charts. */
public final class Markdown {

    private Markdown() {
    }

    /**
     * @param headingLevel level of the scenario headings (2 in report.md, 3 inside docs/performance.md)
     * @param imagePrefix  path from the Markdown file to the charts
     */
    public static String render(Report report, int headingLevel, String imagePrefix) {
        String h = "#".repeat(headingLevel);
        var out = new StringBuilder();
        out.append("Run of ").append(report.startedAt()).append(", mode `").append(report.mode()).append("`. ");
        out.append(report.environment().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("; "))).append(".\n\n");

        out.append(h).append(" Targets\n\n| target | goal | measured | verdict |\n|---|---|---|---|\n");
        for (Target t : report.targets()) {
            out.append("| ").append(cell(t.name())).append(" | ").append(cell(t.goal())).append(" | ")
                    .append(cell(t.measured())).append(" | ").append(t.verdict()).append(" |\n");
        }
        for (Section section : report.sections()) {
            out.append('\n').append(h).append(' ').append(section.title()).append("\n\n");
            if (section.explanation() != null && !section.explanation().isBlank()) {
                out.append(section.explanation().strip()).append("\n\n");
            }
            boolean latencies = section.rows().stream().anyMatch(r -> r.p50() != null || r.throughput() != null);
            if (!latencies) {
                // figures that are not latencies (memory, ratios): a narrower table
                out.append("| what | system | figures | notes |\n|---|---|---|---|\n");
                for (Row row : section.rows()) {
                    out.append("| ").append(cell(row.what())).append(" | ").append(cell(row.system())).append(" | ")
                            .append(cell(row.measured() ? formatValues(row.values()) : "–")).append(" | ")
                            .append(cell(row.measured() ? (row.note() == null ? "" : row.note())
                                    : "not measured: " + row.notMeasured())).append(" |\n");
                }
                continue;
            }
            out.append("| what | system | p50 ms | p95 ms | p99 ms | max ms | per second | calls (failed) | notes |\n")
                    .append("|---|---|---|---|---|---|---|---|---|\n");
            for (Row row : section.rows()) {
                out.append("| ").append(cell(row.what())).append(" | ").append(cell(row.system())).append(" | ")
                        .append(ms(row.p50())).append(" | ").append(ms(row.p95())).append(" | ")
                        .append(ms(row.p99())).append(" | ").append(ms(row.max())).append(" | ")
                        .append(row.throughput() == null ? "–" : row.throughput().format("%,.0f")).append(" | ")
                        .append(row.samples() == 0 && row.errors() == 0 ? "–"
                                : String.format("%,d", row.samples()) + (row.errors() > 0 ? " (" + String.format("%,d", row.errors()) + ")" : ""))
                        .append(" | ").append(cell(notes(row))).append(" |\n");
            }
        }
        if (!report.charts().isEmpty()) {
            out.append('\n').append(h).append(" Charts\n\n");
            for (String chart : report.charts()) {
                out.append("![").append(chart.replaceFirst("\\.png$", "")).append("](").append(imagePrefix)
                        .append(chart).append(")\n\n");
            }
        }
        return out.toString();
    }

    private static String notes(Row row) {
        if (!row.measured()) {
            return "not measured: " + row.notMeasured();
        }
        String values = formatValues(row.values());
        if (row.note() == null || row.note().isBlank()) {
            return values;
        }
        return values.isEmpty() ? row.note() : row.note() + "; " + values;
    }

    static String formatValues(Map<String, Double> values) {
        return values.entrySet().stream().map(e -> e.getKey() + " " + number(e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static String ms(Spread spread) {
        if (spread == null) {
            return "–";
        }
        return spread.format(spread.median() < 1 ? "%.3f" : spread.median() < 10 ? "%.2f" : spread.median() < 100 ? "%.1f" : "%,.0f");
    }

    /** A figure with as many decimals as it deserves. */
    public static String number(double value) {
        double abs = Math.abs(value);
        if (abs >= 100 || value == Math.rint(value)) {
            return String.format("%,.0f", value);
        }
        return abs >= 10 ? String.format("%.1f", value) : abs >= 1 ? String.format("%.2f", value) : String.format("%.3f", value);
    }

    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
    }
}
