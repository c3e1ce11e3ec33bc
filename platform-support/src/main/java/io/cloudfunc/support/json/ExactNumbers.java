package io.cloudfunc.support.json;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.DeserializationFeature;

/**
 * Numbers in events and results pass through every service as the values they are: a JSON number read into a tree
 * (an event, a result, a record's request) is kept as a decimal, not a {@code double}, so that {@code 1e400} is
 * written back as a number ({@code 1E+400}) instead of the string {@code "Infinity"}, and {@code 1.50} keeps its
 * digits. Typed fields ({@code long}, {@code double}) are not affected.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass(name = "org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer")
public class ExactNumbers {

    @Bean
    JsonMapperBuilderCustomizer exactNumbers() {
        return builder -> builder.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }
}
