package io.cloudfunc.cli;

import io.cloudfunc.cli.StackDeploy.Outcome;
import io.cloudfunc.cli.StackFile.StackFunction;
import io.cloudfunc.cli.StackFileEvents.DeclaredSchedule;
import io.cloudfunc.cli.StackFileEvents.DeclaredTrigger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Gives a function of a {@link StackFile} exactly the schedules and triggers it declares, when it declares the key:
 * missing ones created, changed ones replaced (deleted, then created again: the API has no update), undeclared ones
 * removed; a schedule whose only change is {@code paused} is paused or resumed instead. A function that does not
 * declare {@code schedules:} (or {@code triggers:}) keeps what it has.
 *
 * <p>Changes are made in an order that leaves the earlier state wherever the platform refuses one: new ones first,
 * then replacements (a replaced schedule the platform refuses is created again as it was), removals last.
 *
 * <p>A trigger is compared by what the API shows of it: kind, source, URL with its password masked, concurrency,
 * dead letter. A password changed alone is not seen (the platform seals it and never shows it back): such a trigger
 * is reported unchanged, saying so; renaming it replaces it.
 */
final class StackEvents {

    private final GatewayClient client;
    private final List<Outcome> outcomes;

    /** Outcomes are added to {@code outcomes} as each change is made, so that a failure still reports the earlier. */
    StackEvents(GatewayClient client, List<Outcome> outcomes) {
        this.client = client;
        this.outcomes = outcomes;
    }

    /** {@code exists}: whether the function is on the platform (false only for a new function in a dry run). */
    void apply(StackFunction function, boolean exists, boolean dryRun) {
        if (function.schedules() != null) {
            schedules(function.name(), function.schedules(), exists, dryRun);
        }
        if (function.triggers() != null) {
            triggers(function.name(), function.triggers(), exists, dryRun);
        }
    }

    private void schedules(String function, Map<String, DeclaredSchedule> declared, boolean exists, boolean dryRun) {
        String path = "/functions/" + function + "/schedules";
        Map<String, JsonNode> current = exists ? byName(path) : Map.of();
        Map<DeclaredSchedule, String> replaced = new LinkedHashMap<>();
        List<DeclaredSchedule> toggled = new ArrayList<>();
        for (DeclaredSchedule schedule : declared.values()) {
            JsonNode now = current.get(schedule.name());
            if (now == null) {
                if (dryRun) {
                    add("schedule", function, schedule.name(), "would create", null);
                    continue;
                }
                create(function, schedule, "created", null);
                continue;
            }
            String changes = changes(
                    !schedule.cron().equals(now.path("cron").asString()), "cron",
                    !schedule.timezone().equals(now.path("timezone").asString()), "timezone",
                    !schedule.data().equals(now.path("data")), "data");
            if (changes != null) {
                replaced.put(schedule, changes);
            } else if (schedule.paused() != now.path("paused").asBoolean()) {
                toggled.add(schedule);
            } else {
                add("schedule", function, schedule.name(), "unchanged", null);
            }
        }
        for (DeclaredSchedule schedule : toggled) {
            String action = schedule.paused() ? "paused" : "resumed";
            if (!dryRun) {
                post(path + "/" + schedule.name() + "/" + (schedule.paused() ? "pause" : "resume"), null,
                        "schedule", function, schedule.name());
            }
            add("schedule", function, schedule.name(), dryRun ? "would be " + action : action, null);
        }
        for (var entry : replaced.entrySet()) {
            DeclaredSchedule schedule = entry.getKey();
            String changes = entry.getValue();
            JsonNode now = current.get(schedule.name());
            if (dryRun) {
                add("schedule", function, schedule.name(), "would replace", changes);
                continue;
            }
            client.delete(path + "/" + schedule.name());
            try {
                create(function, schedule, "replaced", changes);
            } catch (CliException refused) {
                throw restored(refused, () -> {
                    ObjectNode old = GatewayClient.JSON.createObjectNode().put("name", schedule.name())
                            .put("cron", now.path("cron").asString()).put("timezone", now.path("timezone").asString());
                    old.set("data", now.path("data"));
                    client.postJson(path, GatewayClient.JSON.writeValueAsBytes(old));
                    if (now.path("paused").asBoolean()) {
                        client.postJson(path + "/" + schedule.name() + "/pause", new byte[0]);
                    }
                }, "schedule");
            }
        }
        for (String name : current.keySet()) {
            if (!declared.containsKey(name)) {
                if (!dryRun) {
                    client.delete(path + "/" + name);
                }
                add("schedule", function, name, dryRun ? "would remove" : "removed", "not in the file");
            }
        }
    }

    private void triggers(String function, Map<String, DeclaredTrigger> declared, boolean exists, boolean dryRun) {
        String path = "/functions/" + function + "/triggers";
        Map<String, JsonNode> current = exists ? byName(path) : Map.of();
        Map<DeclaredTrigger, String> replaced = new LinkedHashMap<>();
        for (DeclaredTrigger trigger : declared.values()) {
            JsonNode now = current.get(trigger.name());
            if (now == null) {
                if (dryRun) {
                    add("trigger", function, trigger.name(), "would create", null);
                    continue;
                }
                create(function, trigger, "created", null);
                continue;
            }
            String changes = changes(
                    !trigger.kind().wireName().equals(now.path("kind").asString()), "kind",
                    !trigger.source().equals(now.path("source").asString()), "source",
                    !Objects.equals(trigger.maskedUrl(), text(now.get("url"))), "url",
                    trigger.concurrency() != now.path("concurrency").asInt(), "concurrency",
                    !Objects.equals(trigger.deadLetter(), text(now.get("deadLetter"))), "deadLetter");
            if (changes != null) {
                replaced.put(trigger, changes);
            } else {
                add("trigger", function, trigger.name(), "unchanged", trigger.secretUrl()
                        ? "url's password not compared (the platform never shows it)" : null);
            }
        }
        for (var entry : replaced.entrySet()) {
            DeclaredTrigger trigger = entry.getKey();
            if (dryRun) {
                add("trigger", function, trigger.name(), "would replace", entry.getValue());
                continue;
            }
            JsonNode now = current.get(trigger.name());
            client.delete(path + "/" + trigger.name());
            try {
                create(function, trigger, "replaced", entry.getValue());
            } catch (CliException refused) {
                String url = text(now.get("url"));
                if (url != null && url.contains("***")) {
                    throw new CliException(refused.exitCode(), "trigger " + trigger.name() + " of " + function + ": "
                            + refused.getMessage() + " (its old version was deleted and cannot be made again here: "
                            + "the platform does not show its URL's password)");
                }
                throw restored(refused, () -> {
                    ObjectNode old = ((ObjectNode) now.deepCopy()).retain("name", "kind", "source", "url",
                            "concurrency", "deadLetter");
                    client.postJson(path, GatewayClient.JSON.writeValueAsBytes(old));
                }, "trigger");
            }
        }
        for (String name : current.keySet()) {
            if (!declared.containsKey(name)) {
                if (!dryRun) {
                    client.delete(path + "/" + name);
                }
                add("trigger", function, name, dryRun ? "would remove" : "removed", "not in the file");
            }
        }
    }

    private void create(String function, DeclaredSchedule schedule, String action, String reason) {
        String name = schedule.name();
        ObjectNode request = GatewayClient.JSON.createObjectNode().put("name", schedule.name())
                .put("cron", schedule.cron()).put("timezone", schedule.timezone());
        request.set("data", schedule.data());
        String path = "/functions/" + function + "/schedules";
        post(path, request, "schedule", function, name);
        if (schedule.paused()) {
            post(path + "/" + name + "/pause", null, "schedule", function, name);
        }
        add("schedule", function, name, action, reason);
    }

    private void create(String function, DeclaredTrigger trigger, String action, String reason) {
        ObjectNode request = GatewayClient.JSON.createObjectNode().put("name", trigger.name())
                .put("kind", trigger.kind().wireName()).put("source", trigger.source())
                .put("concurrency", trigger.concurrency());
        if (trigger.url() != null) {
            request.put("url", trigger.url());
        }
        if (trigger.deadLetter() != null) {
            request.put("deadLetter", trigger.deadLetter());
        }
        post("/functions/" + function + "/triggers", request, "trigger", function, trigger.name());
        add("trigger", function, trigger.name(), action, reason);
    }

    /** A POST whose refusal names what it was for: "schedule nightly of report: invalid cron ...". */
    private void post(String path, ObjectNode body, String kind, String function, String name) {
        try {
            client.postJson(path, body == null ? new byte[0] : GatewayClient.JSON.writeValueAsBytes(body));
        } catch (CliException e) {
            throw new CliException(e.exitCode(), kind + " " + name + " of " + function + ": " + e.getMessage());
        }
    }

    /** The refusal, after the old version was made again (or saying it could not be). */
    private static CliException restored(CliException refused, Runnable restore, String kind) {
        try {
            restore.run();
            return new CliException(refused.exitCode(), refused.getMessage() + " (the " + kind + " is kept as it was)");
        } catch (CliException e) {
            return new CliException(refused.exitCode(), refused.getMessage() + " (its old version was deleted and "
                    + "could not be made again: " + e.getMessage() + ")");
        }
    }

    private Map<String, JsonNode> byName(String path) {
        Map<String, JsonNode> all = new LinkedHashMap<>();
        for (JsonNode item : client.json(client.get(path))) {
            all.put(item.path("name").asString(), item);
        }
        return all;
    }

    private void add(String kind, String function, String name, String action, String reason) {
        outcomes.add(new Outcome(kind, function, name, action, null, reason));
    }

    /** "cron, data changed" for the pairs (changed, field) whose changed is true; null when none is. */
    private static String changes(Object... pairs) {
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if ((Boolean) pairs[i]) {
                changed.add((String) pairs[i + 1]);
            }
        }
        return changed.isEmpty() ? null : String.join(", ", changed) + " changed";
    }

    private static String text(JsonNode value) {
        return value == null || !value.isString() ? null : value.asString();
    }
}
