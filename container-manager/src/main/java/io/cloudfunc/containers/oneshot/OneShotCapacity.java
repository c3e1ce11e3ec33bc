package io.cloudfunc.containers.oneshot;

import io.cloudfunc.containers.pool.ContainerPool;
import io.cloudfunc.containers.pool.NoContainerException;
import io.cloudfunc.contracts.function.FunctionVersionView;
import org.springframework.stereotype.Component;

/**
 * Room in the node's budget for a one-shot container while it runs (the pool's, see
 * {@link ContainerPool#reserve}); an interface so that the runner's unit tests need no pool.
 */
@FunctionalInterface
public interface OneShotCapacity {

    /**
     * Waits for room as a cold start of the function would.
     *
     * @throws NoContainerException no room came within the capacity wait
     */
    Room reserve(FunctionVersionView function) throws NoContainerException;

    /** Held room; closing gives it back. */
    interface Room extends AutoCloseable {

        /** The call's container ran: a cold start of the function, counted as the pool counts its own. */
        void started();

        @Override
        void close();
    }

    /** The pool's budget. */
    @Component
    final class OfPool implements OneShotCapacity {

        private final ContainerPool pool;

        OfPool(ContainerPool pool) {
            this.pool = pool;
        }

        @Override
        public Room reserve(FunctionVersionView function) throws NoContainerException {
            ContainerPool.Reservation reservation = pool.reserve(function);
            return new Room() {
                @Override
                public void started() {
                    reservation.started();
                }

                @Override
                public void close() {
                    reservation.close();
                }
            };
        }
    }
}
