package io.cloudfunc.contracts.function;

import java.util.Map;

/**
 * The {@code metadata} part of a container-manager's {@code POST /internal/code-checks}: what a deploy's code is loaded
 * with, once, in a throwaway container, before the deploy is stored (the {@code code} part is the zip archive).
 *
 * @param runtime  {@code python}, {@code node} or {@code java}
 * @param handler  the handler the runtime looks up, e.g. {@code function.handler}
 * @param memoryMb the function's memory (null: the platform's default)
 * @param env        environment variables set before the code loads (the function's {@code env} and secrets)
 * @param network    the function's network ({@code outbound} lets code that reaches out while loading do so)
 * @param ociRuntime the function's OCI runtime (null: the platform's)
 * @param dependenciesDigest the dependency build installed beside the code (null: none)
 */
public record CodeCheck(String runtime, String handler, Integer memoryMb, Map<String, String> env, String network,
                        String ociRuntime, String dependenciesDigest) {

    public CodeCheck {
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    /** Leaves the secrets' values out, so that a logged check never leaks one. */
    @Override
    public String toString() {
        return "CodeCheck[runtime=" + runtime + ", handler=" + handler + ", memoryMb=" + memoryMb + ", env="
                + env.keySet() + ", network=" + network + ", ociRuntime=" + ociRuntime + ", dependenciesDigest="
                + dependenciesDigest + "]";
    }
}
