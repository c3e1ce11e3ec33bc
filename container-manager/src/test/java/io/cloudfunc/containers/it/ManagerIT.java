package io.cloudfunc.containers.it;

import io.cloudfunc.containers.pool.ContainerPool;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the integration tests of a running manager share: the beans they call it through, an {@link ItCalls} of their
 * own, and the check once the manager has stopped that it left no container behind (then the class's
 * {@code static final ItInfrastructure INFRA} is stopped). The extension is registered here, before the subclass's
 * Spring extension, so that it runs after Spring has closed the context.
 */
@ExtendWith(ManagerIT.StopInfrastructureAfterManager.class)
abstract class ManagerIT {

    @Autowired
    protected RabbitTemplate rabbit;
    @Autowired
    protected RabbitAdmin admin;
    @Autowired
    protected JsonMapper json;
    @Autowired
    protected ContainerPool pool;

    private ItCalls calls;

    /** Calls through RabbitMQ with a reply queue of this test instance's own. */
    protected ItCalls calls() {
        if (calls == null) {
            calls = new ItCalls(rabbit, admin, json, "it." + getClass().getSimpleName() + ".replies."
                    + UUID.randomUUID().toString().substring(0, 8));
        }
        return calls;
    }

    /** Publishes an invocation of {@code function} with that event and waits for its reply. */
    protected InvocationCompleted call(FunctionVersionView function, String event) throws Exception {
        return calls().call(function, event);
    }

    /** Publishes an invocation of {@code function} with that event; its reply comes to {@link #awaitReplies}. */
    protected UUID publish(FunctionVersionView function, String event) throws Exception {
        return calls().publish(function, event);
    }

    protected Map<UUID, InvocationCompleted> awaitReplies(List<UUID> ids) {
        return calls().awaitReplies(ids);
    }

    static final class StopInfrastructureAfterManager implements AfterAllCallback {
        @Override
        public void afterAll(ExtensionContext context) throws Exception {
            Field field = context.getRequiredTestClass().getDeclaredField("INFRA");
            field.setAccessible(true);
            ((ItInfrastructure) field.get(null)).checkNoContainersLeftThenStop(() -> { });
        }
    }
}
