package io.cloudfunc.gateway.trigger;

import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.contracts.trigger.CreateTrigger;
import io.cloudfunc.gateway.downstream.RegistryService;
import io.cloudfunc.gateway.web.PublicJson;
import io.cloudfunc.gateway.web.RequestBodies;
import io.cloudfunc.support.problem.Problems;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * Queue triggers of a function: create, list, read, delete. The body is checked to be a {@link CreateTrigger}
 * (unknown fields refused) and the registry checks the rest; its answers, URLs masked, are relayed unchanged.
 */
@RestController
@RequestMapping("/functions/{name}/triggers")
class TriggerController {

    private static final int MAX_BODY = 16 * 1024;

    private final RegistryService registry;
    private final PublicJson publicJson;
    private final JsonMapper json;

    TriggerController(RegistryService registry, PublicJson publicJson, JsonMapper json) {
        this.registry = registry;
        this.publicJson = publicJson;
        this.json = json;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> create(@PathVariable String name, HttpServletRequest request) {
        String path = base(name);
        CreateTrigger trigger = publicJson.read(RequestBodies.read(request, MAX_BODY, "a trigger"),
                CreateTrigger.class, "The trigger");
        return registry.relayCreated(registry.post(path, MediaType.APPLICATION_JSON_VALUE,
                json.writeValueAsBytes(trigger)), "/functions/" + name + "/triggers");
    }

    @GetMapping
    ResponseEntity<byte[]> list(@PathVariable String name) {
        return registry.relay(registry.get(base(name)));
    }

    @GetMapping("/{trigger}")
    ResponseEntity<byte[]> get(@PathVariable String name, @PathVariable String trigger) {
        return registry.relay(registry.get(path(name, trigger)));
    }

    @DeleteMapping("/{trigger}")
    ResponseEntity<byte[]> delete(@PathVariable String name, @PathVariable String trigger) {
        return registry.relay(registry.delete(path(name, trigger)));
    }

    private static String base(String name) {
        if (!FunctionNames.isValid(name)) {
            throw Problems.invalidName(name);
        }
        return "/internal/functions/" + name + "/triggers";
    }

    private static String path(String name, String trigger) {
        if (!FunctionNames.isValid(trigger)) {
            throw Problems.invalidRequest("Invalid trigger name '" + trigger + "': a trigger name is 1 to 63 "
                    + "lowercase letters, digits, dashes and underscores, starting with a letter or digit.")
                    .with("trigger", trigger);
        }
        return base(name) + "/" + trigger;
    }
}
