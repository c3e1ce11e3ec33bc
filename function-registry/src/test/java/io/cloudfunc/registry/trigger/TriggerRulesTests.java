package io.cloudfunc.registry.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudfunc.contracts.trigger.CreateTrigger;
import io.cloudfunc.contracts.trigger.TriggerKind;
import io.cloudfunc.support.problem.ProblemException;
import org.junit.jupiter.api.Test;

class TriggerRulesTests {

    @Test
    void masksThePasswordOrTokenOfAUrl() {
        assertThat(TriggerRules.checkUrl(TriggerKind.RABBITMQ, "amqp://app:s3cr3t@mq:5672/shop"))
                .isEqualTo("amqp://app:***@mq:5672/shop");
        assertThat(TriggerRules.checkUrl(TriggerKind.NATS, "nats://t0k3n@nats.example:4222"))
                .isEqualTo("nats://***@nats.example:4222");
        assertThat(TriggerRules.checkUrl(TriggerKind.MQTT, "tcp://broker:1883")).isEqualTo("tcp://broker:1883");
    }

    @Test
    void refusesAUrlOfAnotherKindWithoutRepeatingIt() {
        assertThatThrownBy(() -> TriggerRules.checkUrl(TriggerKind.MQTT, "amqp://u:hunter2@h/"))
                .isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).problem().getDetail())
                        .contains("tcp, ssl, mqtt, mqtts").doesNotContain("hunter2"));
    }

    @Test
    void checksTopicsAndSubjectsPerProtocol() {
        TriggerRules.checkDestination(TriggerKind.MQTT, "sensors/+/temp/#", "source", true);
        TriggerRules.checkDestination(TriggerKind.NATS, "orders.*.created.>", "source", true);
        TriggerRules.checkDestination(TriggerKind.RABBITMQ, "orders.dead", "deadLetter", false);
        for (String bad : new String[] {"a/#/b", "a/b+", "$share/g/a"}) {
            assertThatThrownBy(() -> TriggerRules.checkDestination(TriggerKind.MQTT, bad, "source", true))
                    .as(bad).isInstanceOf(ProblemException.class);
        }
        assertThatThrownBy(() -> TriggerRules.checkDestination(TriggerKind.MQTT, "dead/+", "deadLetter", false))
                .isInstanceOf(ProblemException.class);
        for (String bad : new String[] {"a..b", "a.>.b", "a b", ".a", "a."}) {
            assertThatThrownBy(() -> TriggerRules.checkDestination(TriggerKind.NATS, bad, "source", true))
                    .as(bad).isInstanceOf(ProblemException.class);
        }
        assertThatThrownBy(() -> TriggerRules.checkDestination(TriggerKind.NATS, "dead.*", "deadLetter", false))
                .isInstanceOf(ProblemException.class);
    }

    @Test
    void defaultsNameAndConcurrency() {
        TriggerRules.Checked checked = TriggerRules.check(new CreateTrigger(null, "nats", "a.b", null, null, null));
        assertThat(checked.name()).matches("nats-[0-9a-f]{6}");
        assertThat(checked.concurrency()).isEqualTo(1);
        assertThat(checked.url()).isNull();
    }
}
