package io.cloudfunc.gateway.openapi;

import io.cloudfunc.contracts.auth.ApiKeyView;
import io.cloudfunc.contracts.auth.CreateApiKey;
import io.cloudfunc.contracts.auth.CreatedApiKey;
import io.cloudfunc.contracts.function.AliasRequest;
import io.cloudfunc.contracts.function.BuildLog;
import io.cloudfunc.contracts.function.AliasView;
import io.cloudfunc.contracts.schedule.ScheduleRequest;
import io.cloudfunc.contracts.schedule.ScheduleView;
import io.cloudfunc.contracts.function.FunctionSpec;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.function.FunctionView;
import io.cloudfunc.contracts.function.InlineDeployRequest;
import io.cloudfunc.contracts.image.ImageView;
import io.cloudfunc.contracts.image.ImagesLoaded;
import io.cloudfunc.contracts.instance.InstanceView;
import io.cloudfunc.contracts.node.NodeView;
import io.cloudfunc.contracts.invocation.AsyncInvocationAccepted;
import io.cloudfunc.contracts.invocation.InvocationLogs;
import io.cloudfunc.contracts.invocation.InvocationPage;
import io.cloudfunc.contracts.invocation.InvocationView;
import io.cloudfunc.contracts.stats.FunctionStatsView;
import io.cloudfunc.contracts.stats.NodeSeriesView;
import io.cloudfunc.contracts.stats.SeriesView;
import io.cloudfunc.contracts.stats.StatsView;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.NumberSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.PathParameter;
import io.swagger.v3.oas.models.parameters.QueryParameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The gateway's public API as an OpenAPI 3 document. */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    static final String JSON = "application/json";
    static final String PROBLEM = "application/problem+json";
    /** The security scheme every operation names: {@code Authorization: Bearer <API key>}. */
    static final String BEARER = "apiKey";
    /** Deploys (and updates with code) load the code once first; {@code verify=false} stores it unchecked. */
    private static final QueryParameter VERIFY = (QueryParameter) new QueryParameter().name("verify")
            .description("Load the code once in its runtime before storing it (default true): code that does not "
                    + "load is a 400 code-rejected with the runtime's error, and nothing is stored. false skips it.")
            .schema(new BooleanSchema()._default(true));
    private static final QueryParameter BUILD_ID = (QueryParameter) new QueryParameter().name("buildId")
            .description("A UUID of the caller's choosing: the dependency build of this deploy (a requirements.txt, a "
                    + "package.json without node_modules, config.dependencies) logs under it, read with "
                    + "GET /builds/{id}/log while the deploy waits.")
            .schema(new StringSchema().format("uuid"));

    /** The function the examples deploy, invoke and read back (e2e's VersionsAliasesStatsIT runs them). */
    static final String HELLO_SOURCE = "def handler(event, context):\n    return {\"hello\": event.get(\"name\", \"world\")}\n";
    /** Seed 002's create and update bodies: a {@code config} block, handler {@code handle}, no runtime. */
    static final String SEED_SOURCE = "def handle(request):\n    return {'result': 'success'}";

    @Bean
    OpenAPI cloudFuncOpenApi() {
        return new OpenAPI()
                .info(new Info().title("CloudFunc API").version("v1")
                        .description("Deploy functions (zip or inline), invoke them by name, version or alias, read "
                                + "their invocations, versions, aliases, statistics and warm instances. Every error is "
                                + "an RFC 9457 problem detail (application/problem+json) with a stable type URN; see "
                                + "docs/api.md. Every operation needs an API key: 'Authorization: Bearer <key>' (401 "
                                + "without a valid one, 403 when its role does not allow the call, 429 over its rate "
                                + "limit).")
                        .license(new License().name("Apache-2.0")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER))
                .servers(List.of(new Server().url("http://localhost:8000").description("a local platform")));
    }

    @Bean
    OpenApiCustomizer cloudFuncOperations() {
        return api -> {
            Components components = api.getComponents() != null ? api.getComponents() : new Components();
            api.setComponents(components);
            components.addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                    .scheme("bearer").description("An API key (roles admin, developer, invoker; see docs/api.md "
                            + "Authentication). The first admin key is CLOUDFUNC_BOOTSTRAP_KEY."));
            for (Class<?> type : List.of(FunctionSpec.class, InlineDeployRequest.class, FunctionView.class,
                    FunctionVersionView.class, AliasView.class, AliasRequest.class, InvocationView.class,
                    StatsView.class, FunctionStatsView.class, SeriesView.class, NodeSeriesView.class,
                    InstanceView.class, NodeView.class, InvocationPage.class,
                    AsyncInvocationAccepted.class, ImageView.class, ImagesLoaded.class, InvocationLogs.class,
                    CreateApiKey.class, CreatedApiKey.class, ApiKeyView.class, BuildLog.class)) {
                ModelConverters.getInstance().readAll(type).forEach(components::addSchemas);
            }
            components.addSchemas("Problem", new ObjectSchema()
                    .description("RFC 9457 problem detail; extra members (functionName, version, alias, invocationId, "
                            + "...) depending on the problem")
                    .addProperty("type", new StringSchema().example("urn:cloudfunc:problem:function-not-found"))
                    .addProperty("title", new StringSchema().example("Function not found"))
                    .addProperty("status", new IntegerSchema().example(404))
                    .addProperty("detail", new StringSchema().example("no function named 'nope'"))
                    .addProperty("instance", new StringSchema()));
            describe(api);
            schedules(api, components);
            api.getPaths().remove("/error");
        };
    }

    private static void describe(OpenAPI api) {
        Map<String, Example> inline = Map.of("hello", new Example().summary("a one-file Python function")
                .value(ordered("name", "hello", "runtime", "python", "handler", "function.handler",
                        "code", HELLO_SOURCE)),
                "seed002", new Example().summary("seed 002's shape: settings in a config block").value(ordered(
                        "name", "my-function", "code", SEED_SOURCE, "config", ordered("execution_mode", "process",
                                "timeout", 30, "memory", "256Mi", "cpu_limit", "100m", "dependencies", List.of(),
                                "environment", Map.of("API_KEY", "secret"), "min_instances", 0,
                                "max_instances", 10))));
        operation(api, "/functions", PathItem.HttpMethod.POST, "Deploy a function (a new version)",
                "A JSON body (inline code) or multipart/form-data with a 'code' zip part and a 'metadata' JSON part "
                        + "(or form fields). Each deploy is a new immutable version. A JSON body may give its settings "
                        + "in seed 002's shape, a 'config' block (timeout in seconds, memory \"256Mi\", cpu_limit "
                        + "\"100m\", environment, min_instances, max_instances, execution_mode, dependencies: installed "
                        + "at deploy); a setting given both ways is a 400. Dependencies (a requirements.txt, a "
                        + "package.json without node_modules, config.dependencies) are built at deploy: a build that "
                        + "fails is a 400 build-failed quoting the tool, past its time limit a 400 build-timed-out. Without a runtime it is image when an image is "
                        + "named (seed 004), python otherwise; python code "
                        + "defining only handle is called by handle. See docs/api.md.",
                new RequestBody().required(true).content(new Content()
                        .addMediaType(JSON, media(ref("InlineDeployRequest"), inline))
                        .addMediaType("multipart/form-data", new MediaType().schema(new ObjectSchema()
                                .addProperty("metadata", ref("FunctionSpec"))
                                .addProperty("code", new StringSchema().format("binary"))))),
                responses(201, "Deployed", ref("FunctionView"), 400, 413, 415, 503));
        // the code is loaded once before it is stored (400 code-rejected when it does not load): verify=false skips it
        api.getPaths().get("/functions").getPost().addParametersItem(VERIFY).addParametersItem(BUILD_ID);
        operation(api, "/functions", PathItem.HttpMethod.GET, "List functions", null, null,
                responses(200, "The functions", new ArraySchema().items(ref("FunctionView")), 503));
        operation(api, "/functions/{name}", PathItem.HttpMethod.GET, "Describe a function (its latest version)",
                null, null, responses(200, "The function", ref("FunctionView"), 400, 404));
        operation(api, "/functions/{name}", PathItem.HttpMethod.PUT, "Change the configuration or the code (a new version)",
                "Creates a new version with this configuration: fields left out keep their value; env and secrets, "
                        + "when given, replace the whole map. With 'code' (the handler module's source, as in an inline "
                        + "deploy; python and node) the new version runs that code, without it the latest version's "
                        + "code. Settings may also come in seed 002's 'config' block. Unknown fields are a 400.",
                new RequestBody().required(true).content(new Content().addMediaType(JSON,
                        media(ref("InlineDeployRequest"), Map.of(
                                "memory", new Example().value(ordered("memoryMb", 256, "timeoutMs", 5000)),
                                "code", new Example().summary("new code, a longer timeout").value(ordered(
                                        "code", HELLO_SOURCE, "timeoutMs", 60000)),
                                "seed002", new Example().summary("seed 002's update: new code, config block")
                                        .value(ordered("code", "def handle(request):\n    return {'result': "
                                                + "'updated'}", "config", ordered("timeout", 60))))))),
                responses(200, "The new latest version", ref("FunctionView"), 400, 404, 413, 415));
        api.getPaths().get("/functions/{name}").getPut().addParametersItem(VERIFY).addParametersItem(BUILD_ID);
        operation(api, "/builds/{id}/log", PathItem.HttpMethod.GET, "Read a deploy's dependency build log",
                "The lines from ?from=N on (default 0) of the build of the deploy sent with ?buildId=id, while it runs "
                        + "and for ten minutes after; poll again with from=next until done. 404 until the build has "
                        + "started, or when the deploy had nothing to build.", null,
                responses(200, "A page of the log", ref("BuildLog"), 400, 404));
        operation(api, "/functions/{name}", PathItem.HttpMethod.DELETE, "Delete a function, its versions and aliases",
                null, null, responses(204, "Deleted", null, 400, 404));
        operation(api, "/functions/{name}/versions", PathItem.HttpMethod.GET, "List a function's versions",
                "Newest first; each version is immutable (configuration, code digest, and the digest and build time of "
                        + "the dependencies built at its deploy).", null,
                responses(200, "The versions", new ArraySchema().items(ref("FunctionVersionView")), 400, 404));
        operation(api, "/functions/{name}/versions/{version}/redeploy", PathItem.HttpMethod.POST,
                "Redeploy a version as the new latest",
                "A new version with the code and the configuration (secrets included) of this one, which becomes "
                        + "the latest: what the bare name runs goes back to it. No body.", null,
                responses(201, "The new latest version", ref("FunctionView"), 400, 404));
        operation(api, "/functions/{name}/aliases", PathItem.HttpMethod.GET, "List a function's aliases", null, null,
                responses(200, "The aliases", new ArraySchema().items(ref("AliasView")), 400, 404));
        operation(api, "/functions/{name}/aliases/{alias}", PathItem.HttpMethod.GET, "Read an alias", null, null,
                responses(200, "The alias", ref("AliasView"), 400, 404));
        operation(api, "/functions/{name}/aliases/{alias}", PathItem.HttpMethod.PUT, "Create or move an alias",
                "201 when created, 200 when moved. Rolling back is moving the alias back to an older version. "
                        + "\"weights\" instead of \"version\" splits the calls through the alias between up to "
                        + AliasRequest.MAX_WEIGHTS + " versions (whole percentages summing to 100; each call draws "
                        + "its version at random by weight); setting one version ends the split.",
                new RequestBody().required(true).content(new Content().addMediaType(JSON, media(ref("AliasRequest"),
                        Map.of("prod", new Example().value(ordered("version", 1)),
                                "canary", new Example().summary("90% on version 1, 10% on version 2")
                                        .value(ordered("weights", List.of(ordered("version", 1, "weight", 90),
                                                ordered("version", 2, "weight", 10)))))))),
                responses(200, "Moved", ref("AliasView"), 201, 400, 404, 415));
        operation(api, "/functions/{name}/aliases/{alias}", PathItem.HttpMethod.DELETE, "Remove an alias", null,
                null, responses(204, "Removed", null, 400, 404));
        // served by a filter ahead of Spring MVC's dispatch (the invocation package's InvokeFilter): springdoc cannot
        // see it, so its operation is made here
        api.getPaths().addPathItem("/functions/{ref}/invoke", new PathItem().post(new Operation()
                .operationId("invoke").addTagsItem("invocations")
                .addParametersItem(new PathParameter().name("ref").required(true).schema(new StringSchema()))
                .addParametersItem(new QueryParameter().name("async").schema(new BooleanSchema()))
                .addParametersItem(new QueryParameter().name("callbackUrl").schema(new StringSchema()))
                .addParametersItem(new QueryParameter().name("timeout").description("this call's timeout in "
                        + "seconds, capped by the function's own").schema(new NumberSchema().example(30)))
                .addParametersItem(new HeaderParameter().name("Prefer").schema(new StringSchema()
                        .example("respond-async")))
                .addParametersItem(new HeaderParameter().name("Idempotency-Key").schema(new StringSchema()
                        .maxLength(255).example("8e03978e-40d5-43e8-bc93-6894a57f9324")))));
        operation(api, "/functions/{ref}/invoke", PathItem.HttpMethod.POST, "Invoke a function synchronously",
                "ref is name (latest version), name:VERSION or name:ALIAS. The body is the event (any JSON value; "
                        + "empty means {}; sent with any content type). The answer is the function's result; headers "
                        + "X-CloudFunc-Invocation-Id, -Version, -Start (cold, prewarmed, warm), -Duration-Ms, -Total-Ms. A function error is a "
                        + "502 problem, a timeout a 504. With 'Prefer: respond-async' or ?async=true (and optionally "
                        + "?callbackUrl=) the call is accepted for later: 202 AsyncInvocationAccepted, Location "
                        + "/invocations/{id}. With an Idempotency-Key, a retry of the same request within 24 h gets the "
                        + "first call's invocation (Idempotent-Replayed: true) instead of running it again: 409 while "
                        + "a synchronous first call runs, 422 for the key reused with another request.",
                new RequestBody().content(new Content().addMediaType(JSON, media(new ObjectSchema(),
                        Map.of("alice", new Example().value(ordered("name", "Alice")))))),
                responses(200, "The function's result (any JSON value)", new ObjectSchema(), 400, 404, 409, 413,
                        422, 502, 503, 504));
        api.getPaths().get("/functions/{ref}/invoke").getPost().getResponses().addApiResponse("202",
                new ApiResponse().description("Accepted for asynchronous execution").content(new Content()
                        .addMediaType(JSON, new MediaType().schema(ref("AsyncInvocationAccepted")))));
        // seed 002's spelling of the same route: the same operation under a second path
        api.getPaths().addPathItem("/invoke/{ref}", new PathItem().post(new Operation().operationId("invokeSeed002")
                .addTagsItem("invocations").summary("Invoke a function (seed 002's path)")
                .description("The same call as POST /functions/{ref}/invoke, with the same answers; a body whose "
                        + "keys are exactly 'event' and 'timeout' (seed 004's) passes 'event' to the function within "
                        + "'timeout' seconds (capped by the function's own timeout).")
                .parameters(api.getPaths().get("/functions/{ref}/invoke").getPost().getParameters())
                .requestBody(api.getPaths().get("/functions/{ref}/invoke").getPost().getRequestBody())
                .responses(api.getPaths().get("/functions/{ref}/invoke").getPost().getResponses())));
        httpFunctions(api);
        operation(api, "/functions/{name}/invocations", PathItem.HttpMethod.GET, "A function's invocation history",
                "Newest first; filters status, from, to (ISO-8601); limit and cursor for the next page.", null,
                responses(200, "A page of invocations", ref("InvocationPage"), 400, 404));
        operation(api, "/dead-letters", PathItem.HttpMethod.GET, "Asynchronous calls that failed after their retries",
                "Filters function, from, to; limit and cursor for the next page.", null,
                responses(200, "A page of invocations", ref("InvocationPage"), 400));
        operation(api, "/invocations/{id}", PathItem.HttpMethod.GET, "Read an invocation record",
                "Status, timings, start type, result or error, and logs.", null,
                responses(200, "The invocation", ref("InvocationView"), 400, 404));
        operation(api, "/stats", PathItem.HttpMethod.GET, "Invocation statistics of all functions",
                "Over ?window= (1m to 30d, default 1h): invocations, succeeded, errors, timeouts, duration "
                        + "percentiles (p50, p95, p99) and total, cold-start ratio; totals and per function, over the "
                        + "functions that exist (calls to deleted functions or unknown names are left out).",
                null, responses(200, "The statistics", ref("StatsView"), 400));
        operation(api, "/functions/{name}/stats", PathItem.HttpMethod.GET, "Invocation statistics of one function",
                "Over ?window= as /stats; zeros for a function not called in the window, 404 for a function that does "
                        + "not exist. \"versions\" has the same figures per version that ran in the window (the "
                        + "sides of a split alias), oldest first.", null, responses(200, "The statistics", ref("FunctionStatsView"), 400, 404));
        operation(api, "/stats/functions/{name}", PathItem.HttpMethod.GET,
                "Invocation statistics of one function (seed 002's path)", "The same as /functions/{name}/stats.",
                null, responses(200, "The statistics", ref("FunctionStatsView"), 400, 404));
        operation(api, "/stats/series", PathItem.HttpMethod.GET, "Invocation statistics over time",
                "One point per step in [from, to) (both aligned to the step, UTC): the calls that ended in it by "
                        + "status (succeeded, errors, timeouts, oom) and start type (cold, prewarmed, warm), and "
                        + "duration percentiles p50/p95/p99 (exact below 32 ms, within 3.2 % above). Optional: "
                        + "function (default: all existing functions), from (default: to - 1h), to (default: now), "
                        + "step 1m, 5m, 15m, 1h or 1d (default: the finest with at most 360 points). A window over "
                        + "30 days, from not before to, an unknown step, more than 1440 points or a step finer than "
                        + "1h reaching back more than 48 h are a 400.",
                null, responses(200, "The series", ref("SeriesView"), 400, 404));
        operation(api, "/stats/series/nodes", PathItem.HttpMethod.GET, "Warm containers per node over time",
                "from, to and step as /stats/series; each point maps the nodes that sent a sample in its step to "
                        + "the largest warm container count they reported there.",
                null, responses(200, "The series", ref("NodeSeriesView"), 400));
        operation(api, "/metrics", PathItem.HttpMethod.GET, "Invocation metrics for Prometheus",
                "Prometheus text: cloudfunc_function_invocations_total and the histogram "
                        + "cloudfunc_function_duration_seconds, by function, status and start_type (cold, prewarmed, "
                        + "warm, none), over every invocation whatever its source (HTTP, async, AMQP producers). A "
                        + "developer or admin key as the scraper's bearer token.", null, prometheusText());
        operation(api, "/health", PathItem.HttpMethod.GET, "The gateway's health, without a key",
                "The status of /actuator/health and nothing else: 200 {\"status\":\"UP\"}, or 503 when it is "
                        + "DOWN or OUT_OF_SERVICE.", null, health());
        operation(api, "/images", PathItem.HttpMethod.POST, "Upload an image (a docker save archive)",
                "The archive is the raw body (application/x-tar), or the one 'image' part of a multipart/form-data "
                        + "body (curl -F image=@my-function.tar); it is loaded into every container-manager's Docker "
                        + "engine. Deploy it as a function of runtime image.",
                new RequestBody().required(true).content(new Content().addMediaType("application/x-tar",
                        new MediaType().schema(new StringSchema().format("binary")))
                        .addMediaType("multipart/form-data", new MediaType().schema(new ObjectSchema()
                                .addProperty("image", new StringSchema().format("binary"))))),
                responses(200, "The images loaded", ref("ImagesLoaded"), 400, 413, 503));
        operation(api, "/images", PathItem.HttpMethod.GET, "List the images functions of runtime image may use",
                null, null, responses(200, "The images", new ArraySchema().items(ref("ImageView")), 503));
        operation(api, "/instances", PathItem.HttpMethod.GET, "List warm containers (instances) of all nodes", null,
                null, responses(200, "The instances", new ArraySchema().items(ref("InstanceView"))));
        operation(api, "/instances/{id}", PathItem.HttpMethod.DELETE, "Stop an idle instance",
                "A busy instance is never cut short: 409.", null, responses(204, "Stopped", null, 400, 404, 409));
        operation(api, "/nodes", PathItem.HttpMethod.GET, "List the container-manager nodes",
                "From the nodes' announcements (every second): state (up, draining, drained, or out when not heard for"
                        + " 10 s), capacity, load and the function versions each holds warm.", null,
                responses(200, "The nodes", new ArraySchema().items(ref("NodeView"))));
        operation(api, "/nodes/{id}/drain", PathItem.HttpMethod.POST, "Drain a node (admin)",
                "The node stops taking calls (the calls waiting in its queue are placed on other nodes), finishes the"
                        + " calls it runs, removes its containers and stays up idle as drained.", null,
                responses(202, "Draining", new ObjectSchema().addProperty("id", new StringSchema())
                        .addProperty("state", new StringSchema()), 404, 503));
        operation(api, "/invocations/{id}/logs", PathItem.HttpMethod.GET, "Read what one invocation wrote",
                "stdout and stderr interleaved, capped (truncated ends with a mark). An invoker key reads only its "
                        + "own invocations' logs.", null,
                responses(200, "The invocation's logs", ref("InvocationLogs"), 400, 404));
        operation(api, "/functions/{name}/logs", PathItem.HttpMethod.GET, "Read a function's latest logs",
                "The latest ?limit= invocations' logs, oldest first; with ?since= (and ?afterId=) those finished "
                        + "after that cursor.", null,
                responses(200, "The invocations' logs", new ArraySchema().items(ref("InvocationLogs")), 400, 404));
        operation(api, "/keys", PathItem.HttpMethod.POST, "Create an API key (admin)",
                "The answer holds the key's secret, shown this once; Location /keys/{id}.",
                new RequestBody().required(true).content(new Content().addMediaType(JSON, media(ref("CreateApiKey"),
                        Map.of("deployer", new Example().value(ordered("name", "ci-deployer", "role",
                                "developer")))))),
                responses(201, "Created", ref("CreatedApiKey"), 400, 415));
        operation(api, "/keys", PathItem.HttpMethod.GET, "List API keys (admin)",
                "Revoked and expired keys included; never their secrets.", null,
                responses(200, "The keys", new ArraySchema().items(ref("ApiKeyView"))));
        operation(api, "/keys/current", PathItem.HttpMethod.GET, "The key making the request (any role)", null, null,
                responses(200, "The key", ref("ApiKeyView")));
        operation(api, "/keys/{id}", PathItem.HttpMethod.GET, "Read an API key (admin)", null, null,
                responses(200, "The key", ref("ApiKeyView"), 400, 404));
        operation(api, "/keys/{id}", PathItem.HttpMethod.DELETE, "Revoke an API key (admin)",
                "Final and idempotent; the answer shows revokedAt.", null,
                responses(200, "The revoked key", ref("ApiKeyView"), 400, 404));
    }

    /** {@code /functions/{name}/schedules}: issue 12's schedules (docs/api.md, Schedules). */
    private static void schedules(OpenAPI api, Components components) {
        for (Class<?> type : List.of(ScheduleRequest.class, ScheduleView.class)) {
            ModelConverters.getInstance().readAll(type).forEach(components::addSchemas);
        }
        String path = "/functions/{name}/schedules";
        operation(api, path, PathItem.HttpMethod.POST, "Create a schedule",
                "Runs the function on a five-field cron expression (minute hour day-of-month month day-of-week, read "
                        + "in 'timezone', default UTC) or '@every 30s'. Each tick is an asynchronous invocation (the "
                        + "function's retries and dead letters apply) whose event is 'data'; the handler's context "
                        + "gets {\"kind\": \"schedule\", \"name\", \"tick\"} as its trigger. 'name' is generated "
                        + "when absent; 'data' (a JSON object, 64 KB at most) "
                        + "defaults to {}. 201 with Location /functions/{name}/schedules/{schedule}; 409 when the "
                        + "name is taken.",
                new RequestBody().required(true).content(new Content().addMediaType(JSON, media(
                        ref("ScheduleRequest"), Map.of("every5m", new Example().value(ordered("name", "every-5m",
                                "cron", "*/5 * * * *", "timezone", "Europe/Paris", "data",
                                ordered("report", "daily"))), "every30s", new Example().value(ordered(
                                "cron", "@every 30s")))))),
                responses(201, "Created", ref("ScheduleView"), 400, 404, 409, 413, 415));
        operation(api, path, PathItem.HttpMethod.GET, "List a function's schedules",
                "Each with its next three runs (none while paused) and its last run.", null,
                responses(200, "The schedules", new ArraySchema().items(ref("ScheduleView")), 400, 404));
        operation(api, path + "/{schedule}", PathItem.HttpMethod.GET, "Read a schedule", null, null,
                responses(200, "The schedule", ref("ScheduleView"), 400, 404));
        operation(api, path + "/{schedule}/pause", PathItem.HttpMethod.POST, "Pause a schedule",
                "No tick runs while it is paused; idempotent.", null,
                responses(200, "The paused schedule", ref("ScheduleView"), 400, 404));
        operation(api, path + "/{schedule}/resume", PathItem.HttpMethod.POST, "Resume a schedule",
                "It runs again from its next tick after now: the ticks that fell while it was paused are not run.",
                null, responses(200, "The running schedule", ref("ScheduleView"), 400, 404));
        operation(api, path + "/{schedule}", PathItem.HttpMethod.DELETE, "Delete a schedule", null, null,
                responses(204, "Deleted", null, 400, 404));
    }

    /**
     * {@code ANY /fn/{ref}[/{path}]}: HTTP functions, served by a filter ahead of Spring MVC's dispatch (the invocation
     * package's HttpFunctionFilter), so made here: each method of both paths, with its own operation id.
     */
    private static void httpFunctions(OpenAPI api) {
        String description = "An HTTP function: ref is name, name:VERSION or name:ALIAS. The whole request (method, "
                + "path under the function, query, headers without Authorization, cookies, body; base64 when not "
                + "UTF-8, caller's address) is the event, in the shape of AWS Lambda's function URL payload 2.0. A "
                + "result with a numeric statusCode is the response (statusCode, headers, cookies, body, "
                + "isBase64Encoded; hop-by-hop headers and X-CloudFunc-* dropped); any other result is 200 JSON. A "
                + "function error is a 502 problem, a timeout a 504. See docs/api.md, HTTP functions.";
        for (String path : List.of("/fn/{ref}", "/fn/{ref}/{path}")) {
            PathItem item = new PathItem();
            for (PathItem.HttpMethod method : List.of(PathItem.HttpMethod.GET, PathItem.HttpMethod.POST,
                    PathItem.HttpMethod.PUT, PathItem.HttpMethod.PATCH, PathItem.HttpMethod.DELETE)) {
                Operation operation = new Operation()
                        .operationId("httpFunction" + method.name().charAt(0) + method.name().substring(1)
                                .toLowerCase(java.util.Locale.ROOT) + (path.endsWith("{path}") ? "Path" : ""))
                        .addTagsItem("invocations")
                        .summary("Call an HTTP function (" + method + ")")
                        .description(description)
                        .addParametersItem(new PathParameter().name("ref").required(true).schema(new StringSchema()));
                if (path.endsWith("{path}")) {
                    operation.addParametersItem(new PathParameter().name("path").required(true)
                            .description("the path under the function; may hold further '/'")
                            .schema(new StringSchema()));
                }
                if (method != PathItem.HttpMethod.GET && method != PathItem.HttpMethod.DELETE) {
                    operation.requestBody(new RequestBody().content(new Content().addMediaType("*/*",
                            new MediaType().schema(new StringSchema().format("binary")))));
                }
                ApiResponses responses = responses(200, "What the function answered (its statusCode, headers and "
                        + "body; 200 JSON for a plain result)", null, 400, 404, 413, 502, 503, 504);
                operation.responses(responses);
                item.operation(method, operation);
            }
            api.getPaths().addPathItem(path, item);
        }
    }

    private static void operation(OpenAPI api, String path, PathItem.HttpMethod method, String summary,
            String description, RequestBody body, ApiResponses responses) {
        PathItem item = api.getPaths() == null ? null : api.getPaths().get(path);
        Operation operation = item == null ? null : item.readOperationsMap().get(method);
        if (operation == null) {
            return; // the test comparing docs/openapi.json with the endpoints catches a missing one
        }
        operation.summary(summary).description(description).responses(responses);
        if (!responses.containsKey("401")) {
            operation.security(List.of()); // a public operation: no key
        }
        if (body != null) {
            operation.requestBody(body);
        }
    }

    /** The answers of {@code GET /metrics}: Prometheus' text format, or the key and platform problems. */
    private static ApiResponses prometheusText() {
        ApiResponses responses = responses(200, "The metrics", null, 503);
        responses.get("200").content(new Content().addMediaType("text/plain", new MediaType()
                .schema(new StringSchema().example("cloudfunc_function_invocations_total{function=\"hello\","
                        + "start_type=\"warm\",status=\"SUCCEEDED\"} 42.0"))));
        return responses;
    }

    /** The answers of {@code GET /health}: public, so none of the key problems. */
    private static ApiResponses health() {
        Schema<?> status = new ObjectSchema().addProperty("status", new StringSchema()
                ._enum(List.of("UP", "DOWN", "OUT_OF_SERVICE", "UNKNOWN")).example("UP"));
        Content content = new Content().addMediaType(JSON, new MediaType().schema(status));
        return new ApiResponses()
                .addApiResponse("200", new ApiResponse().description("Up").content(content))
                .addApiResponse("503", new ApiResponse().description("Down or out of service").content(content));
    }

    /** What every operation may answer before it runs: no valid key, a role that does not allow it, rate limited. */
    private static final int[] AUTH_PROBLEMS = {401, 403, 429};

    private static ApiResponses responses(int status, String description, Schema<?> schema, int... problems) {
        ApiResponses responses = new ApiResponses();
        ApiResponse success = new ApiResponse().description(description);
        if (schema != null) {
            success.content(new Content().addMediaType(JSON, new MediaType().schema(schema)));
        }
        responses.addApiResponse(Integer.toString(status), success);
        for (int problem : AUTH_PROBLEMS) {
            responses.addApiResponse(Integer.toString(problem), new ApiResponse().description(problemText(problem))
                    .content(new Content().addMediaType(PROBLEM, new MediaType().schema(ref("Problem")))));
        }
        for (int problem : problems) {
            if (problem < 400) { // a second success status with the same body
                responses.addApiResponse(Integer.toString(problem), new ApiResponse().description("Created")
                        .content(success.getContent()));
                continue;
            }
            responses.addApiResponse(Integer.toString(problem), new ApiResponse().description(problemText(problem))
                    .content(new Content().addMediaType(PROBLEM, new MediaType().schema(ref("Problem")))));
        }
        return responses;
    }

    private static String problemText(int status) {
        return switch (status) {
            case 400 -> "Invalid request: malformed JSON, unknown field, invalid name, bad archive";
            case 401 -> "No valid API key: missing, malformed, unknown, revoked or expired";
            case 403 -> "The API key's role does not allow this call";
            case 404 -> "Unknown function, version, alias, invocation, instance or API key";
            case 409 -> "Conflict: the instance is busy, or the first call with this Idempotency-Key is still running";
            case 413 -> "Body too large";
            case 415 -> "Unsupported content type";
            case 422 -> "The Idempotency-Key was used for another request within its window";
            case 429 -> "The API key is over its rate limit (Retry-After)";
            case 502 -> "The function raised an error";
            case 503 -> "A platform service is unavailable";
            case 504 -> "The function timed out";
            default -> "Problem";
        };
    }

    private static MediaType media(Schema<?> schema, Map<String, Example> examples) {
        return new MediaType().schema(schema).examples(examples);
    }

    @SuppressWarnings("rawtypes")
    private static Schema ref(String name) {
        return new Schema<>().$ref("#/components/schemas/" + name);
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
