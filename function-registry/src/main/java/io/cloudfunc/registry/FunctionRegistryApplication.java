package io.cloudfunc.registry;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Stores functions, their immutable versions with code archives, and invocation records. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class FunctionRegistryApplication {

    public static void main(String[] args) {
        SpringApplication.run(FunctionRegistryApplication.class, args);
    }
}
