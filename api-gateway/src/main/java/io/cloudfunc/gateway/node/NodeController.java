package io.cloudfunc.gateway.node;

import io.cloudfunc.contracts.node.NodeView;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.gateway.downstream.ContainerManagers;
import io.cloudfunc.gateway.downstream.DownstreamService;
import io.cloudfunc.support.nodes.NodeDirectory;
import io.cloudfunc.support.problem.ProblemException;
import io.cloudfunc.support.problem.Problems;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /nodes}: the container-manager nodes as their announcements describe them (up, draining, drained, or
 * out when silent); {@code POST /nodes/{id}/drain} (admin): relayed to the live node, which stops taking calls,
 * finishes those it runs and stays up idle ({@code drained}).
 */
@RestController
class NodeController {

    private final NodeDirectory nodes;
    private final ContainerManagers managers;

    NodeController(NodeDirectory nodes, ContainerManagers managers) {
        this.nodes = nodes;
        this.managers = managers;
    }

    @GetMapping("/nodes")
    List<NodeView> list() {
        return nodes.views();
    }

    @PostMapping("/nodes/{id}/drain")
    ResponseEntity<byte[]> drain(@PathVariable String id) {
        DownstreamService node = managers.node(id).orElseThrow(() -> new ProblemException(Problems.of(
                HttpStatus.NOT_FOUND, ProblemTypes.NODE_NOT_FOUND, "No live node '" + id + "': GET /nodes lists"
                        + " them.")).with("nodeId", id));
        return node.relay(node.post("/internal/drain", MediaType.APPLICATION_JSON_VALUE, new byte[0]));
    }
}
