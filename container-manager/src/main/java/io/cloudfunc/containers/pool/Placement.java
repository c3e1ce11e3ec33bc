package io.cloudfunc.containers.pool;

import java.util.List;

/** Where a call goes: an idle warm container, a new one (maybe evicting others to make room), or nowhere yet. */
public sealed interface Placement {

    /** Use this idle container of the function. */
    record Reuse(String key) implements Placement {
    }

    /** Start a new container, after removing the idle containers listed in {@code evict}. */
    record StartNew(List<String> evict) implements Placement {
        public StartNew {
            evict = List.copyOf(evict);
        }
    }

    /** The manager is full of busy containers: wait until one frees up. */
    record Wait() implements Placement {
    }
}
