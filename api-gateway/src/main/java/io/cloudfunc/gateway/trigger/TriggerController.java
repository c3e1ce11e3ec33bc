package io.cloudfunc.gateway.trigger;

import io.cloudfunc.contracts.trigger.CreateTrigger;
import io.cloudfunc.gateway.downstream.FunctionItemsRelay;
import io.cloudfunc.gateway.downstream.RegistryService;
import io.cloudfunc.gateway.web.PublicJson;
import io.cloudfunc.gateway.web.RequestBodies;
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

    private final FunctionItemsRelay triggers;
    private final PublicJson publicJson;
    private final JsonMapper json;

    TriggerController(RegistryService registry, PublicJson publicJson, JsonMapper json) {
        this.triggers = new FunctionItemsRelay(registry, "trigger", "a trigger name is 1 to 63 lowercase letters, "
                + "digits, dashes and underscores, starting with a letter or digit.");
        this.publicJson = publicJson;
        this.json = json;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> create(@PathVariable String name, HttpServletRequest request) {
        triggers.path(name); // the function's name is checked before the body is read
        CreateTrigger trigger = publicJson.read(RequestBodies.read(request, MAX_BODY, "a trigger"),
                CreateTrigger.class, "The trigger");
        return triggers.create(name, json.writeValueAsBytes(trigger));
    }

    @GetMapping
    ResponseEntity<byte[]> list(@PathVariable String name) {
        return triggers.list(name);
    }

    @GetMapping("/{trigger}")
    ResponseEntity<byte[]> get(@PathVariable String name, @PathVariable String trigger) {
        return triggers.get(name, trigger);
    }

    @DeleteMapping("/{trigger}")
    ResponseEntity<byte[]> delete(@PathVariable String name, @PathVariable String trigger) {
        return triggers.delete(name, trigger);
    }
}
