package io.cloudfunc.containers.instance;

import io.cloudfunc.containers.ContainerManagerProperties;
import io.cloudfunc.containers.pool.ContainerPool;
import io.cloudfunc.containers.pool.ContainerSnapshot;
import io.cloudfunc.containers.pool.ContainerState;
import io.cloudfunc.containers.pool.FunctionKey;
import io.cloudfunc.contracts.instance.InstanceView;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.support.problem.ProblemException;
import io.cloudfunc.support.problem.Problems;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /internal/instances}: this manager's containers (prewarmed ones without a function); {@code DELETE /internal/instances/{id}}: stops an idle
 * one (204), refuses a busy or starting one (409 instance-busy: its call is never cut short), 404 for an unknown id.
 */
@RestController
class InstanceController {

    private final ContainerPool pool;
    private final String node;

    InstanceController(ContainerPool pool, ContainerManagerProperties properties) {
        this.pool = pool;
        this.node = properties.node();
    }

    @GetMapping("/internal/instances")
    List<InstanceView> list() {
        return pool.snapshot().stream()
                .map(this::view)
                .sorted(Comparator.comparing(InstanceView::functionName, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(InstanceView::version).thenComparing(InstanceView::id))
                .toList();
    }

    @DeleteMapping("/internal/instances/{id}")
    ResponseEntity<Void> stop(@PathVariable String id) {
        return switch (pool.stop(id)) {
            case STOPPED -> ResponseEntity.noContent().build();
            case BUSY -> throw new ProblemException(Problems.of(HttpStatus.CONFLICT, ProblemTypes.INSTANCE_BUSY,
                    "instance " + id + " is serving a call; stop it when it is idle")).with("instanceId", id);
            case NOT_FOUND -> throw new ProblemException(Problems.of(HttpStatus.NOT_FOUND,
                    ProblemTypes.INSTANCE_NOT_FOUND, "no instance " + id + " on node " + node))
                    .with("instanceId", id);
        };
    }

    private InstanceView view(ContainerSnapshot snapshot) {
        Instant idleSince = switch (snapshot.state()) {
            case ContainerState.Idle idle -> idle.since();
            case ContainerState.Prewarmed prewarmed -> prewarmed.since();
            default -> null;
        };
        FunctionKey function = snapshot.function();
        return new InstanceView(snapshot.key(), node, function == null ? null : function.name(),
                function == null ? 0 : function.version(), snapshot.runtime(), snapshot.state().label(), idleSince);
    }
}
