package io.cloudfunc.gateway.downstream;

import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.support.problem.Problems;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Relays a function's items of one kind (schedules, triggers) to the registry's
 * {@code /internal/functions/{name}/{kind}s[/{item}]}, the names checked before anything is sent: an invalid
 * function name is {@link Problems#invalidName}, an invalid item name a 400 that names the item in a field.
 */
public final class FunctionItemsRelay {

    private final RegistryService registry;
    private final String kind;
    private final String nameRule;

    /** {@code nameRule} ends the 400's detail "Invalid KIND name 'X': ..." for an item name that is not valid. */
    public FunctionItemsRelay(RegistryService registry, String kind, String nameRule) {
        this.registry = registry;
        this.kind = kind;
        this.nameRule = nameRule;
    }

    /** The registry's path of the function's items; throws when the function's name is not valid. */
    public String path(String function) {
        if (!FunctionNames.isValid(function)) {
            throw Problems.invalidName(function);
        }
        return "/internal/functions/" + function + "/" + kind + "s";
    }

    /** The registry's path of one item; the item's name is checked first, then the function's. */
    public String path(String function, String item) {
        if (!FunctionNames.isValid(item)) {
            throw Problems.invalidRequest("Invalid " + kind + " name '" + item + "': " + nameRule).with(kind, item);
        }
        return path(function) + "/" + item;
    }

    /** 201 with Location {@code /functions/{function}/{kind}s/{item}}, or the registry's problem. */
    public ResponseEntity<byte[]> create(String function, byte[] json) {
        return registry.relayCreated(registry.post(path(function), MediaType.APPLICATION_JSON_VALUE, json),
                "/functions/" + function + "/" + kind + "s");
    }

    public ResponseEntity<byte[]> list(String function) {
        return registry.relay(registry.get(path(function)));
    }

    public ResponseEntity<byte[]> get(String function, String item) {
        return registry.relay(registry.get(path(function, item)));
    }

    /** POST with no body to {@code .../{item}/{action}} (a schedule's pause and resume). */
    public ResponseEntity<byte[]> act(String function, String item, String action) {
        return registry.relay(registry.post(path(function, item) + "/" + action, MediaType.APPLICATION_JSON_VALUE,
                new byte[0]));
    }

    public ResponseEntity<byte[]> delete(String function, String item) {
        return registry.relay(registry.delete(path(function, item)));
    }
}
