package io.cloudfunc.support.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.json.JsonMapper;

class ExactNumbersTests {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ExactNumbers.class));

    @Test
    void aServicesMapperWritesBackTheNumbersOfATreeAsTheValuesItRead() {
        context.run(beans -> {
            JsonMapper json = beans.getBean(JsonMapper.class);

            String written = json.writeValueAsString(json.readTree("{\"huge\":1e400,\"price\":1.50,\"n\":42}"));

            assertThat(written).isEqualTo("{\"huge\":1E+400,\"price\":1.50,\"n\":42}");
        });
    }

    @Test
    void withoutItJacksonTurnsAHugeNumberIntoTheStringInfinity() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
                .run(beans -> {
                    JsonMapper json = beans.getBean(JsonMapper.class);
                    assertThat(json.writeValueAsString(json.readTree("[1e400]"))).isEqualTo("[\"Infinity\"]");
                });
    }
}
