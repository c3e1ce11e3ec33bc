package io.cloudfunc.containers.node;

import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /internal/drain}: the gateway's {@code POST /nodes/{id}/drain}, relayed to the node. */
@RestController
class NodeController {

    private final NodeDrain drain;
    private final NodeAnnouncer announcer;

    NodeController(NodeDrain drain, NodeAnnouncer announcer) {
        this.drain = drain;
        this.announcer = announcer;
    }

    @PostMapping("/internal/drain")
    ResponseEntity<Map<String, String>> drain() {
        String state = drain.drain();
        return ResponseEntity.accepted().body(Map.of("id", announcer.nodeId(), "state", state));
    }
}
