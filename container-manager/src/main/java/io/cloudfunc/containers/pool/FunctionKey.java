package io.cloudfunc.containers.pool;

import io.cloudfunc.contracts.function.FunctionVersionView;

/** What a warm container can serve: one version of one function. */
public record FunctionKey(String name, int version) {

    public static FunctionKey of(FunctionVersionView view) {
        return new FunctionKey(view.functionName(), view.version());
    }

    @Override
    public String toString() {
        return name + " v" + version;
    }
}
