package io.cloudfunc.containers;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The container-manager: consumes {@code InvokeFunction} messages, runs each call in a warm (or newly started)
 * container of the function over a unix socket, records the result in the registry and replies to the caller.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ContainerManagerApplication {

    public static void main(String[] args) {
        SpringApplication.run(ContainerManagerApplication.class, args);
    }
}
