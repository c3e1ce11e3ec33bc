package io.cloudfunc.gateway.instance;

import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.gateway.downstream.ContainerManagers;
import io.cloudfunc.gateway.downstream.DownstreamService;
import io.cloudfunc.support.http.BufferedResponse;
import io.cloudfunc.support.problem.ProblemException;
import io.cloudfunc.support.problem.Problems;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * {@code GET /instances}: the containers of all container-managers in one list; a manager that does not answer is
 * left out and named in the {@code X-CloudFunc-Unreachable} header rather than failing the whole list.
 * {@code DELETE /instances/{id}}: asks each manager in turn until one knows the id: 204 stopped, 409 busy, 404 when
 * none knows it.
 */
@RestController
class InstanceController {

    static final String UNREACHABLE = "X-CloudFunc-Unreachable";
    private static final Logger log = LoggerFactory.getLogger(InstanceController.class);
    private static final Pattern ID = Pattern.compile("^[0-9a-f]{1,64}$");

    private final ContainerManagers managers;
    private final JsonMapper json;

    InstanceController(ContainerManagers managers, JsonMapper json) {
        this.managers = managers;
        this.json = json;
    }

    @GetMapping("/instances")
    ResponseEntity<ArrayNode> list() {
        ArrayNode all = json.createArrayNode();
        List<String> unreachable = new ArrayList<>();
        for (DownstreamService manager : managers.all()) {
            try {
                BufferedResponse response = manager.get("/internal/instances");
                JsonNode instances = response.status() == 200 ? json.readTree(response.body()) : null;
                if (instances == null || !instances.isArray()) {
                    throw manager.unexpected(response);
                }
                instances.forEach(all::add);
            } catch (RuntimeException e) {
                log.warn("Listing the instances of {} failed: {}", manager.name(), e.getMessage());
                unreachable.add(manager.name());
            }
        }
        var answer = ResponseEntity.ok();
        if (!unreachable.isEmpty()) {
            answer.header(UNREACHABLE, String.join(", ", unreachable));
        }
        return answer.body(all);
    }

    @DeleteMapping("/instances/{id}")
    ResponseEntity<byte[]> stop(@PathVariable String id) {
        if (!ID.matcher(id).matches()) {
            throw Problems.invalidRequest("Invalid instance id '" + id + "': the id GET /instances shows (hex).")
                    .with("instanceId", id);
        }
        for (DownstreamService manager : managers.all()) {
            BufferedResponse response = manager.delete("/internal/instances/" + id);
            if (response.status() != 404) {
                return manager.relay(response);
            }
        }
        throw new ProblemException(Problems.of(HttpStatus.NOT_FOUND, ProblemTypes.INSTANCE_NOT_FOUND,
                "No instance " + id + " on any container-manager.")).with("instanceId", id);
    }
}
