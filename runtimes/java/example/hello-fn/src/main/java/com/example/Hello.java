package com.example;

import io.cloudfunc.function.Context;
import io.cloudfunc.function.Handler;

/** The example Java function: handler {@code com.example.Hello}. */
public class Hello implements Handler<Hello.Greeting, String> {

    /** The event: {@code {"name": "Alice"}}; a missing name is null. */
    public record Greeting(String name) {
    }

    @Override
    public String handle(Greeting event, Context context) {
        System.out.println("greeting for invocation " + context.invocationId());
        return "Hello " + nameOf(event) + "!";
    }

    /** A plain public method works too: handler {@code com.example.Hello::shout}. */
    public String shout(Greeting event) {
        return "HELLO " + nameOf(event).toUpperCase() + "!";
    }

    private static String nameOf(Greeting event) {
        return event == null || event.name() == null ? "World" : event.name();
    }
}
