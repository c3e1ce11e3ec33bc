package io.cloudfunc.contracts.trigger;

/**
 * A trigger as the schedulers need it to consume ({@code GET /internal/triggers}, never through the gateway): the
 * URL decrypted, null for the default broker of its kind.
 */
public record TriggerDefinition(String function, String name, TriggerKind kind, String source, String url,
                                int concurrency, String deadLetter) {
}
