package io.cloudfunc.containers.pool;

import io.cloudfunc.contracts.function.FunctionVersionView;
import java.util.Locale;

/**
 * What a warm container can serve: one version of one function, with exactly this code. The digest is part of the
 * key because version numbers start again at 1 after a function is deleted: a container of the old function's v1
 * must never serve the new function's v1.
 */
public record FunctionKey(String name, int version, String codeSha256) {

    public FunctionKey {
        codeSha256 = codeSha256 == null ? "" : codeSha256.toLowerCase(Locale.ROOT);
    }

    public static FunctionKey of(FunctionVersionView view) {
        return new FunctionKey(view.functionName(), view.version(), view.codeSha256());
    }

    @Override
    public String toString() {
        return name + " v" + version + (codeSha256.length() >= 12 ? " (" + codeSha256.substring(0, 12) + ")" : "");
    }
}
