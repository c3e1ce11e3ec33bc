package io.cloudfunc.gateway.invocation;

import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.contracts.function.FunctionRefs;
import io.cloudfunc.support.problem.Problems;

/** The check of a function reference in a call's path, the same on every route that calls a function. */
final class FunctionReferences {

    private FunctionReferences() {
    }

    /** A 400 that says what is wrong with {@code ref}, unless it is {@code name}, {@code name:3} or {@code name:alias}. */
    static void check(String ref) {
        if (FunctionRefs.parse(ref) != null) {
            return;
        }
        int colon = ref.indexOf(':');
        if (colon < 0 || !FunctionNames.isValid(ref.substring(0, colon))) {
            throw Problems.invalidName(colon < 0 ? ref : ref.substring(0, colon));
        }
        throw Problems.invalidRequest("Invalid function reference '" + ref + "': " + FunctionRefs.REF_RULE + ".")
                .with("functionName", ref.substring(0, colon));
    }
}
