package io.cloudfunc.scheduler.function;

import io.cloudfunc.contracts.messaging.FunctionChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Drops the cached entries of a function the registry says was deployed, deleted or aliased; a deploy that brings
 * its new version puts that in as the function's latest.
 */
class FunctionChangedListener implements MessageListener {

    private static final Logger log = LoggerFactory.getLogger(FunctionChangedListener.class);

    private final FunctionResolver functions;
    private final JsonMapper json;

    FunctionChangedListener(FunctionResolver functions, JsonMapper json) {
        this.functions = functions;
        this.json = json;
    }

    @Override
    public void onMessage(Message message) {
        FunctionChanged event;
        try {
            event = json.readValue(message.getBody(), FunctionChanged.class);
        } catch (JacksonException e) {
            // Cannot tell which function changed: forget them all rather than serve a stale one.
            log.warn("Unreadable FunctionChanged event, clearing the whole function cache: {}", e.getOriginalMessage());
            functions.invalidateAll();
            return;
        }
        if (event.functionName() == null) {
            functions.invalidateAll();
            return;
        }
        log.debug("Function {} {} (latest version {}): dropping its cache entry",
                event.functionName(), event.change(), event.latestVersion());
        if (event.deployedVersion() != null) {
            functions.deployed(event.deployedVersion());
        } else {
            functions.invalidate(event.functionName());
        }
    }
}
