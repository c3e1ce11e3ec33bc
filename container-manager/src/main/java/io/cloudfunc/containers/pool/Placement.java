package io.cloudfunc.containers.pool;

import java.util.List;

/**
 * Where a call goes: a container of its function with a free slot, a prewarmed container given its code, a new
 * container (maybe evicting others to make room), or nowhere yet.
 */
public sealed interface Placement {

    /** Use this container of the function (idle, busy with a free slot, or starting with a free slot). */
    record Reuse(String key) implements Placement {
    }

    /** Give this prewarmed container the function's code, after removing the idle containers in {@code evict}. */
    record Specialise(String key, List<String> evict) implements Placement {
        public Specialise {
            evict = List.copyOf(evict);
        }
    }

    /** Start a new container, after removing the idle containers listed in {@code evict}. */
    record StartNew(List<String> evict) implements Placement {
        public StartNew {
            evict = List.copyOf(evict);
        }
    }

    /** Nothing free: wait until a container frees up (or the node's budget does). */
    record Wait(Reason reason) implements Placement {
    }

    /** The function can never run here (it needs more memory than the whole budget). */
    record Impossible(String why) implements Placement {
    }

    enum Reason {
        /** The function has maxInstances containers, all with every slot taken. */
        FUNCTION_AT_MAX,
        /** The node's memory budget (or container count) is used up by containers that cannot be evicted. */
        NODE_FULL,
        /**
         * Every container of a warm function is busy and more are starting for the calls waiting: a call takes
         * whichever slot frees first, a busy container's or a new one's.
         */
        SCALING_OUT
    }
}
