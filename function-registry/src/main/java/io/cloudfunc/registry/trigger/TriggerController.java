package io.cloudfunc.registry.trigger;

import io.cloudfunc.contracts.trigger.CreateTrigger;
import io.cloudfunc.contracts.trigger.TriggerCounts;
import io.cloudfunc.contracts.trigger.TriggerDefinition;
import io.cloudfunc.contracts.trigger.TriggerView;
import io.cloudfunc.support.problem.JsonProblems;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /internal/functions/{name}/triggers} (relayed by the gateway), and for the schedulers only
 * {@code GET /internal/triggers} (URLs decrypted) and {@code POST /internal/triggers/counts}.
 */
@RestController
@RequestMapping("/internal")
class TriggerController {

    private final TriggerService triggers;
    private final JsonMapper json;

    TriggerController(TriggerService triggers, JsonMapper json) {
        this.triggers = triggers;
        this.json = json;
    }

    @PostMapping(value = "/functions/{name}/triggers", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<TriggerView> create(@PathVariable String name, @RequestBody byte[] body) {
        CreateTrigger request = JsonProblems.readStrict(json, body, CreateTrigger.class, "the body");
        TriggerView created = triggers.create(name, request);
        return ResponseEntity.created(URI.create("/internal/functions/" + name + "/triggers/" + created.name()))
                .body(created);
    }

    @GetMapping("/functions/{name}/triggers")
    List<TriggerView> list(@PathVariable String name) {
        return triggers.list(name);
    }

    @GetMapping("/functions/{name}/triggers/{trigger}")
    TriggerView get(@PathVariable String name, @PathVariable String trigger) {
        return triggers.get(name, trigger);
    }

    @DeleteMapping("/functions/{name}/triggers/{trigger}")
    ResponseEntity<Void> delete(@PathVariable String name, @PathVariable String trigger) {
        triggers.delete(name, trigger);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/triggers")
    List<TriggerDefinition> definitions() {
        return triggers.definitions();
    }

    @PostMapping(value = "/triggers/counts", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Void> counts(@RequestBody byte[] body) {
        triggers.addCounts(Arrays.asList(JsonProblems.readStrict(json, body, TriggerCounts[].class, "the body")));
        return ResponseEntity.noContent().build();
    }
}
