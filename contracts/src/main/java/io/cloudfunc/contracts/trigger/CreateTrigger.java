package io.cloudfunc.contracts.trigger;

/**
 * {@code POST /functions/{name}/triggers}: consume {@code source} of a broker of {@code kind} and invoke the function
 * (asynchronously) with each message.
 *
 * @param name        the trigger's name within the function; generated when absent
 * @param kind        {@code rabbitmq}, {@code mqtt} or {@code nats}
 * @param source      the queue (RabbitMQ), topic filter (MQTT) or subject (NATS) to consume
 * @param url         the broker ({@code amqp://user:pass@host:5672/vhost}, {@code tcp://host:1883},
 *                    {@code nats://host:4222}); absent: the platform's own RabbitMQ, or the scheduler's configured
 *                    MQTT or NATS server. Its credentials are a secret: stored encrypted, never shown
 * @param concurrency invocations in flight per trigger and scheduler, 1 to 64 (default 1)
 * @param deadLetter  where a message goes whose invocation failed for good (a queue, topic or subject on the same
 *                    broker); absent: nowhere (the invocation's record still says it failed)
 */
public record CreateTrigger(String name, String kind, String source, String url, Integer concurrency,
                            String deadLetter) {
}
