package io.cloudfunc.scheduler.placement;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Which node runs a function's calls: a pure function of the function's name and the live nodes, tested without a
 * broker. Rendezvous (highest random weight) hashing: every node gets a score for the function, the highest wins, so
 * a function's calls gather on one node (where its warm containers are) and a node joining or leaving moves only
 * the functions it wins or won. {@link Placement} uses it to find a function's home node among the live ones.
 */
public final class NodePlacement {

    private NodePlacement() {
    }

    /** The node among {@code nodes} (not empty) that runs {@code functionName}'s calls. */
    public static String place(String functionName, List<String> nodes) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("no node to place a call on");
        }
        if (nodes.size() == 1) {
            return nodes.getFirst();
        }
        String best = null;
        long bestScore = Long.MIN_VALUE;
        for (String node : nodes) {
            long score = score(functionName, node);
            if (best == null || score > bestScore || score == bestScore && node.compareTo(best) < 0) {
                best = node;
                bestScore = score;
            }
        }
        return best;
    }

    /** A 64-bit FNV-1a hash of {@code function \0 node}, mixed so that similar names spread. */
    static long score(String functionName, String node) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : (functionName + '\0' + node).getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        return hash;
    }
}
