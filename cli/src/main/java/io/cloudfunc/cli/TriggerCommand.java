package io.cloudfunc.cli;

import io.cloudfunc.contracts.function.FunctionNames;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code cloudfunc trigger create|list|delete}: queue triggers, whose messages (a RabbitMQ queue, an MQTT topic, a
 * NATS subject) become asynchronous invocations of the function.
 */
@Command(name = "trigger", mixinStandardHelpOptions = true,
        description = "Create, list and delete queue triggers: each message on a RabbitMQ queue, MQTT topic or NATS "
                + "subject invokes the function (asynchronously) with the message as its event.",
        subcommands = {TriggerCommand.Create.class, TriggerCommand.ListTriggers.class, TriggerCommand.Delete.class})
final class TriggerCommand implements Callable<Integer> {

    @ParentCommand
    CloudFuncCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: create, list or delete");
    }

    /** A command on the triggers of function NAME: {@code trigger ACTION NAME ...}. */
    abstract static class OfFunction implements Callable<Integer> {

        @ParentCommand
        TriggerCommand trigger;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "Function.")
        String function;

        /** The function's triggers, once its name is checked. */
        FunctionItems triggers() {
            return new FunctionItems(trigger.cli, spec, function, "trigger");
        }
    }

    static String validTrigger(String trigger) {
        if (!FunctionNames.isValid(trigger)) {
            throw new CliException(ExitCodes.USAGE, "invalid trigger name '" + trigger + "': 1 to 63 lowercase "
                    + "letters, digits, dashes and underscores, starting with a letter or digit");
        }
        return trigger;
    }

    /** {@code trigger create NAME --rabbitmq QUEUE | --mqtt TOPIC | --nats SUBJECT [--url URL] ...}. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Invoke function NAME with every message of a queue, topic or subject. A message is "
                    + "acknowledged once its invocation is accepted; a failed one goes to --dead-letter.")
    static final class Create extends OfFunction {

        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

        static final class Source {
            @Option(names = "--rabbitmq", paramLabel = "QUEUE", description = "A RabbitMQ queue.")
            String rabbitmq;

            @Option(names = "--mqtt", paramLabel = "TOPIC", description = "An MQTT topic filter (+ and # allowed).")
            String mqtt;

            @Option(names = "--nats", paramLabel = "SUBJECT", description = "A NATS subject (* and > allowed).")
            String nats;
        }

        @Option(names = "--broker-url", paramLabel = "URL", description = "The broker: "
                + "amqp://user:pass@host:5672/vhost, tcp://host:1883 or nats://host:4222 (default: the platform's "
                + "RabbitMQ, the scheduler's MQTT or NATS server); --url with such a URL says the same. Its "
                + "credentials are stored encrypted and never shown.")
        String url;

        /** The broker URL given as {@code --url} (the gateway's option, inherited): a broker scheme says which. */
        private String brokerUrl() {
            String given = trigger.cli.url;
            if (given != null && given.matches("(?i)(amqps?|tcp|ssl|mqtts?|nats|tls)://.*")) {
                if (url != null) {
                    throw new CliException(ExitCodes.USAGE, "give the broker's URL once: --url or --broker-url");
                }
                trigger.cli.url = null; // not the gateway's: that comes from CLOUDFUNC_URL or the saved login
                return given;
            }
            return url;
        }

        @Option(names = "--concurrency", paramLabel = "N",
                description = "Invocations in flight at once, 1 to 64 (default 1).")
        Integer concurrency;

        @Option(names = "--dead-letter", paramLabel = "DESTINATION",
                description = "Queue, topic or subject for messages whose invocation failed for good.")
        String deadLetter;

        @Option(names = "--name", paramLabel = "TRIGGER", description = "The trigger's name (default: generated).")
        String name;

        @Override
        public Integer call() {
            var triggers = triggers();
            ObjectNode request = GatewayClient.JSON.createObjectNode();
            if (name != null) {
                request.put("name", validTrigger(name));
            }
            String kind = source.rabbitmq != null ? "rabbitmq" : source.mqtt != null ? "mqtt" : "nats";
            request.put("kind", kind);
            request.put("source", source.rabbitmq != null ? source.rabbitmq
                    : source.mqtt != null ? source.mqtt : source.nats);
            String broker = brokerUrl();
            if (broker != null) {
                request.put("url", broker);
            }
            if (concurrency != null) {
                if (concurrency < 1 || concurrency > 64) {
                    throw new CliException(ExitCodes.USAGE, "--concurrency must be 1 to 64");
                }
                request.put("concurrency", concurrency);
            }
            if (deadLetter != null) {
                request.put("deadLetter", deadLetter);
            }
            JsonNode created = triggers.create(request);
            return triggers.print(created, out -> out.printf("Created trigger %s of %s: %s %s%s%n",
                    Output.text(created.get("name")), function, kind, Output.text(created.get("source")),
                    created.hasNonNull("url") ? " on " + Output.text(created.get("url")) : ""));
        }
    }

    /** {@code trigger list NAME}. */
    @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true,
            description = "List the queue triggers of function NAME, with their deliveries and failures.")
    static final class ListTriggers extends OfFunction {

        @Override
        public Integer call() {
            var triggers = triggers();
            JsonNode all = triggers.list();
            return triggers.print(all, out -> {
                List<JsonNode> rows = new ArrayList<>();
                all.forEach(rows::add);
                Output.table(out, rows, "No triggers.",
                        new String[] {"NAME", "KIND", "SOURCE", "URL", "CONCURRENCY", "DEAD_LETTER", "DELIVERIES",
                                "FAILURES", "LAST_DELIVERY", "LAST_ERROR"},
                        new String[] {"name", "kind", "source", "url", "concurrency", "deadLetter", "deliveries",
                                "failures", "lastDeliveryAt", "lastError"});
            });
        }
    }

    /** {@code trigger delete NAME TRIGGER}. */
    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete trigger TRIGGER of function NAME: the platform stops consuming its source.")
    static final class Delete extends OfFunction {

        @Parameters(index = "1", paramLabel = "TRIGGER", description = "The trigger's name.")
        String name;

        @Override
        public Integer call() {
            var triggers = triggers();
            return triggers.delete(validTrigger(name), "{\"deleted\":\"" + name + "\"}");
        }
    }
}
