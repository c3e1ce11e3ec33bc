package io.cloudfunc.bench.report;

/**
 * Rewrites the generated part of docs/performance.md: everything between the two markers is replaced, everything
 * outside them (the hand-written analysis) is kept. A file without the markers gets them appended at its end.
 */
public final class PerformanceDoc {

    public static final String BEGIN = "<!-- bench:generated:begin (written by bench/run; edits here are overwritten) -->";
    public static final String END = "<!-- bench:generated:end -->";

    private PerformanceDoc() {
    }

    public static String replaceGenerated(String document, String generated) {
        String block = BEGIN + "\n" + generated.strip() + "\n" + END;
        int begin = document.indexOf(BEGIN);
        int end = document.indexOf(END);
        if (begin < 0 || end < begin) {
            return document.stripTrailing() + "\n\n" + block + "\n";
        }
        return document.substring(0, begin) + block + document.substring(end + END.length());
    }
}
