package io.cloudfunc.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PerformanceDocTests {

    @Test
    void replacesOnlyWhatIsBetweenTheMarkers() {
        String doc = "# Performance\n\nhand-written intro\n\n" + PerformanceDoc.BEGIN + "\nold figures\n"
                + PerformanceDoc.END + "\n\n## Analysis\n\nkept\n";

        String updated = PerformanceDoc.replaceGenerated(doc, "new figures\n");

        assertThat(updated).isEqualTo("# Performance\n\nhand-written intro\n\n" + PerformanceDoc.BEGIN
                + "\nnew figures\n" + PerformanceDoc.END + "\n\n## Analysis\n\nkept\n");
    }

    @Test
    void appendsTheMarkersToADocumentWithoutThem() {
        String updated = PerformanceDoc.replaceGenerated("# Performance\n", "figures");

        assertThat(updated).isEqualTo("# Performance\n\n" + PerformanceDoc.BEGIN + "\nfigures\n" + PerformanceDoc.END + "\n");
    }

    @Test
    void aSecondRunReplacesTheFirstRunsFigures() {
        String once = PerformanceDoc.replaceGenerated("intro\n", "first");
        String twice = PerformanceDoc.replaceGenerated(once, "second");

        assertThat(twice).contains("second").doesNotContain("first").startsWith("intro\n");
    }
}
