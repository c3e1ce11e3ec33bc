package io.cloudfunc.gateway.openapi;

import io.cloudfunc.contracts.trigger.CreateTrigger;
import io.cloudfunc.contracts.trigger.TriggerView;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The queue-trigger operations ({@code /functions/{name}/triggers}) of the OpenAPI document. */
@Configuration(proxyBeanMethods = false)
class TriggerApiDocumentation {

    private static final String BASE = "/functions/{name}/triggers";
    private static final String ONE = BASE + "/{trigger}";

    @Bean
    OpenApiCustomizer triggerOperations() {
        return api -> {
            if (api.getComponents() == null) {
                api.setComponents(new io.swagger.v3.oas.models.Components());
            }
            {
                for (Class<?> type : new Class<?>[] {CreateTrigger.class, TriggerView.class}) {
                    ModelConverters.getInstance().readAll(type).forEach(api.getComponents()::addSchemas);
                }
            }
            if (api.getPaths() == null) {
                return;
            }
            Map<String, Object> example = new LinkedHashMap<>();
            example.put("name", "orders");
            example.put("kind", "rabbitmq");
            example.put("source", "orders");
            example.put("url", "amqp://app:secret@mq.example:5672/shop");
            example.put("concurrency", 4);
            example.put("deadLetter", "orders.dead");
            describe(api.getPaths().get(BASE), PathItem.HttpMethod.POST, "Create a queue trigger",
                    "Each message on the queue (rabbitmq), topic (mqtt) or subject (nats) becomes an asynchronous "
                            + "invocation with the message as its event; name optional (generated), url optional (the "
                            + "platform's own broker), concurrency 1 to 64 (default 1), deadLetter optional. The url's "
                            + "credentials are stored encrypted and never shown (***). 409 when the name is taken.",
                    new RequestBody().required(true).content(new Content().addMediaType(ApiDocumentation.JSON,
                            new MediaType().schema(ref("CreateTrigger"))
                                    .examples(Map.of("rabbitmq", new Example().value(example))))),
                    responses(201, "Created (Location: the trigger)", ref("TriggerView"), 400, 404, 409, 415));
            describe(api.getPaths().get(BASE), PathItem.HttpMethod.GET, "List a function's queue triggers", null,
                    null, responses(200, "The triggers", new ArraySchema().items(ref("TriggerView")), 400, 404));
            describe(api.getPaths().get(ONE), PathItem.HttpMethod.GET, "Read a queue trigger",
                    "With its deliveries, failures, last delivery and last error.", null,
                    responses(200, "The trigger", ref("TriggerView"), 400, 404));
            describe(api.getPaths().get(ONE), PathItem.HttpMethod.DELETE, "Delete a queue trigger",
                    "The schedulers stop consuming its source.", null, responses(204, "Deleted", null, 400, 404));
        };
    }

    private static void describe(PathItem item, PathItem.HttpMethod method, String summary, String description,
            RequestBody body, ApiResponses responses) {
        Operation operation = item == null ? null : item.readOperationsMap().get(method);
        if (operation == null) {
            return;
        }
        operation.summary(summary).description(description).responses(responses).addTagsItem("triggers");
        if (body != null) {
            operation.requestBody(body);
        }
    }

    private static ApiResponses responses(int status, String description, Schema<?> schema, int... problems) {
        ApiResponses responses = new ApiResponses();
        ApiResponse success = new ApiResponse().description(description);
        if (schema != null) {
            success.content(new Content().addMediaType(ApiDocumentation.JSON, new MediaType().schema(schema)));
        }
        responses.addApiResponse(Integer.toString(status), success);
        for (int problem : new int[] {401, 403, 429}) {
            responses.addApiResponse(Integer.toString(problem), problem(problem));
        }
        for (int problem : problems) {
            responses.addApiResponse(Integer.toString(problem), problem(problem));
        }
        return responses;
    }

    private static ApiResponse problem(int status) {
        String text = switch (status) {
            case 400 -> "Invalid request: unknown kind, bad source, url or concurrency, unknown field";
            case 401 -> "No valid API key: missing, malformed, unknown, revoked or expired";
            case 403 -> "The API key's role does not allow this call";
            case 404 -> "Unknown function or trigger";
            case 409 -> "The function already has a trigger by that name";
            case 415 -> "Unsupported content type";
            case 429 -> "The API key is over its rate limit (Retry-After)";
            default -> "Problem";
        };
        return new ApiResponse().description(text).content(new Content().addMediaType(ApiDocumentation.PROBLEM,
                new MediaType().schema(ref("Problem"))));
    }

    @SuppressWarnings("rawtypes")
    private static Schema ref(String name) {
        return new Schema<>().$ref("#/components/schemas/" + name);
    }
}
