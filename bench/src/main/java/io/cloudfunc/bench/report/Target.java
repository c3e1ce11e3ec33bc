package io.cloudfunc.bench.report;

/**
 * A performance target of the product and what this run measured for it.
 *
 * @param met true or false when measured, null when the figure could not be measured
 */
public record Target(String name, String goal, String measured, Boolean met) {

    public String verdict() {
        return met == null ? "not measured" : met ? "**met**" : "not met";
    }
}
