package io.cloudfunc.scheduler.function;

import io.cloudfunc.contracts.function.FunctionVersionView;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a function reference resolves to: one version, or the versions of a weighted alias (a traffic split) with
 * their weights in percent, summing to 100. Each call draws its version at random by weight, independently of the
 * others (as Lambda's weighted aliases, Knative's traffic split and OpenWhisk do): over many calls the shares follow
 * the weights, with no state to share between schedulers.
 */
record Target(List<FunctionVersionView> versions, List<Integer> weights) {

    Target {
        versions = List.copyOf(versions);
        weights = List.copyOf(weights);
        if (versions.isEmpty() || versions.size() != weights.size()
                || weights.stream().mapToInt(Integer::intValue).sum() != 100) {
            throw new IllegalArgumentException("a target is one version, or versions whose weights sum to 100");
        }
    }

    static Target of(FunctionVersionView version) {
        return new Target(List.of(version), List.of(100));
    }

    /** The version of the main (first listed) version: the one a plain reference names. */
    FunctionVersionView main() {
        return versions.getFirst();
    }

    /** The version one call runs: drawn by weight. */
    FunctionVersionView pick() {
        return versions.size() == 1 ? main() : pick(ThreadLocalRandom.current().nextInt(100));
    }

    /** The version of a draw from 0 to 99: the first whose cumulative weight is above it. */
    FunctionVersionView pick(int draw) {
        int upTo = 0;
        for (int i = 0; i < versions.size(); i++) {
            upTo += weights.get(i);
            if (draw < upTo) {
                return versions.get(i);
            }
        }
        throw new IllegalArgumentException("a draw is 0 to 99, not " + draw);
    }
}
