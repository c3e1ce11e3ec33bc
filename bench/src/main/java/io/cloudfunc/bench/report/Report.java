package io.cloudfunc.bench.report;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one harness run measured, as written to report.json and rendered into report.md.
 *
 * @param environment facts about the run (machine, JVM options, mode) shown above the tables
 * @param charts      file names of the charts written next to the report
 */
public record Report(String startedAt, String mode, Map<String, String> environment, List<Section> sections,
                     List<Target> targets, List<String> charts) {

    public Optional<Row> row(String key) {
        return sections.stream().flatMap(s -> s.rows().stream()).filter(r -> r.key().equals(key)).findFirst();
    }
}
