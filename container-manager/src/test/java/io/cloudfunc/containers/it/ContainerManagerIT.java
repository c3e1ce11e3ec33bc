package io.cloudfunc.containers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import io.cloudfunc.containers.invocation.InvocationService;
import io.cloudfunc.containers.pool.ContainerPool;
import io.cloudfunc.containers.pool.Labels;
import io.cloudfunc.containers.pool.Lease;
import io.cloudfunc.containers.runtime.CallOutcome;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.StartType;
import io.cloudfunc.contracts.messaging.FunctionChanged;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.InvokeFunction;
import io.cloudfunc.contracts.messaging.Topology;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The container-manager against the real Docker engine and a real RabbitMQ (own vhost), with a stub registry on
 * loopback. Calls go in as InvokeFunction messages and come back as InvocationCompleted replies.
 */
@ExtendWith(ContainerManagerIT.AfterManagerStopped.class) // declared first: runs after Spring closed the context
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ContainerManagerIT {

    /** Started before the Spring context: the orphans must exist when the manager starts. */
    static final ItInfrastructure INFRA = ItInfrastructure.start();
    static final Orphans ORPHANS = Orphans.create();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        INFRA.register(registry);
        registry.add("containers.pool.reaper-interval", () -> "100ms");
        registry.add("containers.consumer.concurrency", () -> "8");
    }

    @org.springframework.boot.test.web.server.LocalServerPort
    int port;
    @Autowired
    RabbitTemplate rabbit;
    @Autowired
    RabbitAdmin admin;
    @Autowired
    JsonMapper json;
    @Autowired
    DockerClient docker;
    @Autowired
    MeterRegistry meters;
    @Autowired
    InvocationService invocations;
    @Autowired
    ContainerPool pool;
    @Autowired
    io.cloudfunc.support.messaging.RecordPublisher records;

    private final String suffix = UUID.randomUUID().toString().substring(0, 6);
    private String replyQueue;

    /** Once the manager has stopped: it must have removed its containers; then the infrastructure goes. */
    static final class AfterManagerStopped implements AfterAllCallback {
        @Override
        public void afterAll(ExtensionContext context) throws Exception {
            INFRA.checkNoContainersLeftThenStop(ORPHANS::removeForeign);
        }
    }

    @Test
    void coldThenWarmCallOfHelloFnReturnsHelloAliceFromOneContainer() throws Exception {
        FunctionVersionView hello = deploy("hello", Map.of("function.py",
                Files.readString(ItInfrastructure.exampleFunction())), 5_000, 128, 60_000);

        InvocationCompleted first = call(hello, "{\"name\":\"Alice\"}");
        InvocationCompleted second = call(hello, "{\"name\":\"Bob\"}");

        assertThat(first.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(first.result().stringValue()).isEqualTo("Hello Alice!");
        assertThat(first.startType()).isEqualTo(StartType.COLD);
        assertThat(second.result().stringValue()).isEqualTo("Hello Bob!");
        assertThat(second.startType()).isEqualTo(StartType.WARM);
        assertThat(containersOf(hello)).hasSize(1);
        assertThat(recorded(first.invocationId())).isEqualTo(first);
        assertThat(recorded(second.invocationId())).isEqualTo(second);
        // final records go to cloudfunc.records, each with the call as its producer sent it
        assertThat(INFRA.records.messages.get()).isPositive();
        assertThat(INFRA.records.created.get(first.invocationId()).request())
                .isEqualTo(json.readTree("{\"name\":\"Alice\"}"));
        assertThat(INFRA.records.created.get(first.invocationId()).acceptedAt()).isBeforeOrEqualTo(first.startedAt());
        Timer coldStarts = meters.get("cloudfunc.container.start").tag("type", "cold").timer();
        System.out.printf("[measure] cold start (create -> ready): count=%d mean=%.1f ms max=%.1f ms%n",
                coldStarts.count(), coldStarts.mean(TimeUnit.MILLISECONDS), coldStarts.max(TimeUnit.MILLISECONDS));
    }

    @Test
    void nodeFunctionRunsColdThenWarmAndItsErrorsKeepTheContainer() throws Exception {
        ItInfrastructure.ensureNodeImage();
        byte[] code = StubRegistry.zip(Map.of(
                "index.js", Files.readString(ItInfrastructure.repository("runtimes", "node", "example", "hello_fn",
                        "index.js")),
                "fail.js", "exports.handler = async (event) => { console.log('about to fail'); "
                        + "throw new RangeError(`bad ${event.n}`); };"));
        FunctionVersionView hello = INFRA.registry.deploy("node-hello-" + suffix, 1, "node", "index.handler", code,
                5_000, 128, 60_000, Map.of());
        FunctionVersionView failing = INFRA.registry.deploy("node-fail-" + suffix, 1, "node", "fail.handler", code,
                5_000, 128, 60_000, Map.of());

        InvocationCompleted first = call(hello, "{\"name\":\"Alice\"}");
        InvocationCompleted second = call(hello, "{}");
        InvocationCompleted failed = call(failing, "{\"n\":7}");
        InvocationCompleted again = call(failing, "{\"n\":8}");

        assertThat(first.status()).as(String.valueOf(first.error())).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(first.result().stringValue()).isEqualTo("Hello Alice!");
        assertThat(first.startType()).isEqualTo(StartType.COLD);
        assertThat(first.logs()).isEqualTo("greeting for invocation " + first.invocationId() + "\n");
        assertThat(second.result().stringValue()).isEqualTo("Hello World!");
        assertThat(second.startType()).isEqualTo(StartType.WARM);
        assertThat(containersOf(hello)).hasSize(1);
        assertThat(failed.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(failed.errorKind()).isEqualTo(ErrorKind.FUNCTION);
        assertThat(failed.error().type()).isEqualTo("RangeError");
        assertThat(failed.error().message()).isEqualTo("bad 7");
        assertThat(failed.error().trace()).first().asString().startsWith("  at exports.handler (fail.js:1:");
        assertThat(failed.logs()).isEqualTo("about to fail\n");
        assertThat(again.startType()).as("the container stays warm after an error").isEqualTo(StartType.WARM);
    }

    @Test
    void javaExampleJarRunsColdThenWarmAndReportsItsErrors() throws Exception {
        ItInfrastructure.ensureJavaImage();
        byte[] jar = Files.readAllBytes(ItInfrastructure.repository("runtimes", "java", "example", "hello-fn",
                "target", "hello-fn.jar"));
        FunctionVersionView hello = INFRA.registry.deploy("java-hello-" + suffix, 1, "java", "com.example.Hello", jar,
                10_000, 256, 60_000, Map.of());
        FunctionVersionView shout = INFRA.registry.deploy("java-shout-" + suffix, 1, "java",
                "com.example.Hello::shout", jar, 10_000, 256, 60_000, Map.of());
        FunctionVersionView missing = INFRA.registry.deploy("java-missing-" + suffix, 1, "java",
                "com.example.Missing", jar, 10_000, 256, 60_000, Map.of());

        long started = System.nanoTime();
        InvocationCompleted first = call(hello, "{\"name\":\"Alice\"}");
        long coldMillis = (System.nanoTime() - started) / 1_000_000;
        InvocationCompleted second = call(hello, "{\"name\":\"Bob\"}");
        InvocationCompleted unfit = call(hello, "[1, 2]");
        InvocationCompleted third = call(hello, "{}");
        InvocationCompleted shouted = call(shout, "{\"name\":\"Carol\"}");
        InvocationCompleted notFound = call(missing, "{}");

        assertThat(first.status()).as(String.valueOf(first.error())).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(first.result().stringValue()).isEqualTo("Hello Alice!");
        assertThat(first.startType()).isEqualTo(StartType.COLD);
        assertThat(first.logs()).isEqualTo("greeting for invocation " + first.invocationId() + "\n");
        assertThat(second.result().stringValue()).isEqualTo("Hello Bob!");
        assertThat(second.startType()).isEqualTo(StartType.WARM);
        assertThat(unfit.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(unfit.error().type()).isEqualTo("InvalidEvent");
        assertThat(third.result().stringValue()).isEqualTo("Hello World!");
        assertThat(third.startType()).as("warm after an error").isEqualTo(StartType.WARM);
        assertThat(containersOf(hello)).hasSize(1);
        assertThat(shouted.result().stringValue()).isEqualTo("HELLO CAROL!");
        assertThat(notFound.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(notFound.errorKind()).isEqualTo(ErrorKind.FUNCTION);
        assertThat(notFound.error().type()).isEqualTo("HandlerNotFound");
        System.out.printf("[measure] java cold call (publish -> reply, create + JVM start + init + call): %d ms%n",
                coldMillis);
    }

    @Test
    void overlappingCallsStartTwoContainers() throws Exception {
        FunctionVersionView sleepy = deploy("overlap", Map.of("function.py", """
                import time
                def handler(event):
                    time.sleep(event["seconds"])
                    return "slept"
                """), 10_000, 128, 60_000);

        List<InvocationCompleted> replies = callAll(sleepy, List.of("{\"seconds\":1.0}", "{\"seconds\":1.0}"));

        assertThat(replies).extracting(InvocationCompleted::status)
                .containsExactly(InvocationStatus.SUCCEEDED, InvocationStatus.SUCCEEDED);
        assertThat(replies).extracting(InvocationCompleted::startType).containsExactly(StartType.COLD, StartType.COLD);
        assertThat(containersOf(sleepy)).hasSize(2);
        assertThat(INFRA.records.started).as("calls running past the RUNNING-mark delay are marked")
                .contains(replies.get(0).invocationId(), replies.get(1).invocationId());
    }

    @Test
    void raisingHandlerFailsWithItsOwnTraceAndItsContainerStaysWarm() throws Exception {
        FunctionVersionView boom = deploy("boom", Map.of("function.py", """
                def divide(a, b):
                    return a / b
                def handler(event):
                    print("dividing", event["n"])
                    return divide(event["n"], 0)
                """), 5_000, 128, 60_000);

        InvocationCompleted failed = call(boom, "{\"n\":7}");
        InvocationCompleted again = call(boom, "{\"n\":1}");

        assertThat(failed.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(failed.errorKind()).isEqualTo(ErrorKind.FUNCTION);
        assertThat(failed.error().type()).isEqualTo("ZeroDivisionError");
        assertThat(failed.error().message()).isEqualTo("division by zero");
        assertThat(failed.error().trace()).containsExactly(
                "  File \"function.py\", line 5, in handler",
                "    return divide(event[\"n\"], 0)",
                "  File \"function.py\", line 2, in divide",
                "    return a / b");
        assertThat(failed.logs()).isEqualTo("dividing 7\n");
        assertThat(again.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(again.startType()).isEqualTo(StartType.WARM);
        assertThat(containersOf(boom)).hasSize(1);
    }

    @Test
    void handlerPastItsTimeoutTimesOutAndItsContainerIsRemoved() throws Exception {
        FunctionVersionView slow = deploy("slow", Map.of("function.py", """
                import time
                def handler(event):
                    time.sleep(event["seconds"])
                    return "too late"
                """), 1_000, 128, 60_000);
        long start = System.nanoTime();

        InvocationCompleted timedOut = call(slow, "{\"seconds\":30}");

        assertThat(timedOut.status()).isEqualTo(InvocationStatus.TIMED_OUT);
        assertThat(timedOut.error().type()).isEqualTo("TimeoutError");
        assertThat(timedOut.errorKind()).isEqualTo(ErrorKind.FUNCTION);
        assertThat(timedOut.durationMs()).isBetween(1_000L, 3_000L);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(containersOf(slow)).isEmpty();
        assertThat(recorded(timedOut.invocationId()).status())
                .isEqualTo(InvocationStatus.TIMED_OUT);
    }

    @Test
    void versionDeployedAgainWithOtherCodeRunsTheNewCodeInANewContainer() throws Exception {
        FunctionVersionView old = deploy("reborn", Map.of("function.py",
                "def handler(event):\n    return 'old code'\n"), 5_000, 128, 60_000);
        InvocationCompleted before = call(old, "{}");
        // Deleted and deployed again, its DELETED event lost or late: v1 again, other code.
        FunctionVersionView reborn = deploy("reborn", Map.of("function.py",
                "def handler(event):\n    return 'new code'\n"), 5_000, 128, 60_000);

        InvocationCompleted after = call(reborn, "{}");
        InvocationCompleted stale = call(old, "{}"); // sent for the old code, which is gone

        assertThat(before.result().stringValue()).isEqualTo("old code");
        assertThat(reborn.version()).isEqualTo(old.version());
        assertThat(after.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(after.result().stringValue()).isEqualTo("new code");
        assertThat(after.startType()).isEqualTo(StartType.COLD);
        assertThat(stale.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(stale.errorKind()).isEqualTo(ErrorKind.PLATFORM);
        assertThat(stale.error().type()).isEqualTo("FunctionReplaced");
        Message dead = rabbit.receive(Topology.DEAD_LETTER_QUEUE, 5_000); // taken here: other tests read the queue
        assertThat(dead).isNotNull();
        assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).contains(stale.invocationId().toString());
    }

    @Test
    void idleContainerIsRemovedOnceItsTtlHasPassed() throws Exception {
        FunctionVersionView brief = deploy("brief", Map.of("function.py", "def handler(event):\n    return 1\n"),
                5_000, 128, 400);

        InvocationCompleted done = call(brief, "{}");
        List<String> afterCall = containersOf(brief);
        String key = docker.inspectContainerCmd(afterCall.getFirst()).exec().getConfig().getLabels().get(Labels.KEY);
        boolean directoryWhileIdle = Files.isDirectory(INFRA.socketRoot().resolve(key));

        assertThat(done.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(afterCall).hasSize(1);
        assertThat(directoryWhileIdle).isTrue();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> containersOf(brief).isEmpty());
        await().atMost(Duration.ofSeconds(2)).until(() -> !Files.exists(INFRA.socketRoot().resolve(key)));
        assertThat(meters.counter("cloudfunc.container.removals", "reason", "idle-expired").count())
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void containerRunsWithoutNetworkAsNonRootOnAReadOnlyRootWithoutCapabilities() throws Exception {
        FunctionVersionView probe = deploy("probe", Map.of("function.py", """
                import os, subprocess
                def can_write(path):
                    try:
                        with open(path, "w") as f:
                            f.write("x")
                        return True
                    except OSError:
                        return False
                def can_run_from_tmp():
                    with open("/tmp/script.sh", "w") as f:
                        f.write("#!/bin/sh\\necho ran\\n")
                    os.chmod("/tmp/script.sh", 0o755)
                    try:
                        subprocess.run(["/tmp/script.sh"], check=True, capture_output=True)
                        return True
                    except OSError:
                        return False
                def handler(event):
                    return {"uid": os.getuid(), "gid": os.getgid(),
                            "tmp": can_write("/tmp/probe"), "root": can_write("/probe"),
                            "cloudfunc": can_write("/cloudfunc/probe"), "code": can_write("/cloudfunc/code/x"),
                            "interfaces": sorted(os.listdir("/sys/class/net")),
                            "execFromTmp": can_run_from_tmp(), "shm": os.path.exists("/dev/shm"),
                            "pid1": open("/proc/1/cmdline").read().split("\\0")[0], "pid": os.getpid()}
                """), 5_000, 64, 60_000);

        InvocationCompleted done = call(probe, "{}");
        InspectContainerResponse container = docker.inspectContainerCmd(containersOf(probe).getFirst()).exec();

        JsonNode seen = done.result();
        assertThat(done.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(seen.path("uid").intValue()).isEqualTo(10001);
        assertThat(seen.path("gid").intValue()).isEqualTo(10001);
        assertThat(seen.path("tmp").booleanValue()).isTrue();
        assertThat(seen.path("root").booleanValue()).isFalse();
        assertThat(seen.path("cloudfunc").booleanValue()).isFalse();
        assertThat(seen.path("code").booleanValue()).isFalse();
        assertThat(seen.path("interfaces").toString()).isEqualTo("[\"lo\"]");
        assertThat(seen.path("execFromTmp").booleanValue()).as("/tmp is noexec").isFalse();
        assertThat(seen.path("shm").booleanValue()).as("/dev/shm exists").isFalse();
        assertThat(seen.path("pid1").stringValue()).as("PID 1 is an init that reaps zombies").endsWith("docker-init");
        assertThat(seen.path("pid").intValue()).isNotEqualTo(1);
        assertThat(container.getConfig().getUser()).isEqualTo("10001:10001");
        assertThat(container.getHostConfig().getNetworkMode()).isEqualTo("none");
        assertThat(container.getHostConfig().getReadonlyRootfs()).isTrue();
        assertThat(container.getHostConfig().getCapDrop()).contains(Capability.ALL);
        assertThat(container.getHostConfig().getSecurityOpts()).contains("no-new-privileges");
        assertThat(container.getHostConfig().getMemory()).isEqualTo(64L * 1024 * 1024);
        assertThat(container.getHostConfig().getMemorySwap()).isEqualTo(64L * 1024 * 1024);
        assertThat(container.getHostConfig().getPidsLimit()).isEqualTo(128L);
        assertThat(container.getHostConfig().getTmpFs()).containsKey("/tmp");
        assertThat(container.getHostConfig().getTmpFs().get("/tmp").split(","))
                .contains("noexec", "nosuid", "nodev");
        assertThat(container.getHostConfig().getInit()).isTrue();
        assertThat(container.getHostConfig().getIpcMode()).isEqualTo("none");
        assertThat(container.getConfig().getLabels())
                .containsEntry(Labels.MANAGED, "true")
                .containsEntry(Labels.FUNCTION, probe.functionName())
                .containsEntry(Labels.VERSION, "1")
                .containsEntry(Labels.MANAGER, INFRA.node);
    }

    @Test
    void contextAndEnvironmentReachAHandlerTakingTwoArguments() throws Exception {
        FunctionVersionView aware = deploy("aware", Map.of("function.py", """
                import os
                def handler(event, context):
                    return {"name": context.function_name, "version": context.function_version,
                            "memory": context.memory_limit_in_mb, "id": context.invocation_id,
                            "remaining": context.get_remaining_time_in_millis(), "greeting": os.environ["GREETING"]}
                """), 5_000, 128, 60_000, Map.of("GREETING", "hi"));

        InvocationCompleted done = call(aware, "{}");

        JsonNode seen = done.result();
        assertThat(seen.path("name").stringValue()).isEqualTo(aware.functionName());
        assertThat(seen.path("version").intValue()).isEqualTo(1);
        assertThat(seen.path("memory").intValue()).isEqualTo(128);
        assertThat(seen.path("id").stringValue()).isEqualTo(done.invocationId().toString());
        assertThat(seen.path("remaining").intValue()).isBetween(1, 5_000);
        assertThat(seen.path("greeting").stringValue()).isEqualTo("hi");
    }

    @Test
    void secretsReachTheFunctionButNotTheContainersEnvironment() throws Exception {
        String secret = "tok-" + UUID.randomUUID();
        FunctionVersionView secretive = INFRA.registry.deploy("secretive-" + suffix, 1, Map.of("function.py", """
                import os
                def handler(event):
                    return {"token": os.environ.get("API_TOKEN"), "plain": os.environ.get("PLAIN")}
                """), 5_000, 128, 60_000, Map.of("PLAIN", "p"), Map.of("API_TOKEN", secret));

        InvocationCompleted done = call(secretive, "{}");

        assertThat(done.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(done.result().path("token").stringValue()).isEqualTo(secret);
        assertThat(done.result().path("plain").stringValue()).isEqualTo("p");
        List<String> containers = containersOf(secretive);
        assertThat(containers).hasSize(1);
        ItInfrastructure.Result inspect = ItInfrastructure.run(Duration.ofSeconds(30), "docker", "inspect",
                containers.getFirst());
        assertThat(inspect.output()).contains(containers.getFirst()).doesNotContain(secret);
    }

    @Test
    void instancesAreListedAndAnIdleOneIsStoppedOverHttp() throws Exception {
        FunctionVersionView listed = deploy("listed", Map.of("function.py",
                Files.readString(ItInfrastructure.exampleFunction())), 5_000, 128, 60_000);
        call(listed, "{\"name\":\"x\"}");
        var http = java.net.http.HttpClient.newHttpClient();
        var base = java.net.URI.create("http://127.0.0.1:" + port);

        var list = http.send(java.net.http.HttpRequest.newBuilder(base.resolve("/internal/instances")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).isEqualTo(200);
        List<io.cloudfunc.contracts.instance.InstanceView> instances = json.readValue(list.body(),
                new tools.jackson.core.type.TypeReference<>() { });
        var instance = instances.stream().filter(view -> view.functionName().equals(listed.functionName()))
                .findFirst().orElseThrow();
        assertThat(instance.state()).isEqualTo("idle");
        assertThat(instance.node()).isEqualTo(INFRA.node);
        assertThat(instance.version()).isEqualTo(1);
        assertThat(instance.idleSince()).isNotNull();

        var stop = http.send(java.net.http.HttpRequest.newBuilder(base.resolve("/internal/instances/" + instance.id()))
                .DELETE().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(stop.statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(containersOf(listed)).isEmpty());

        var unknown = http.send(java.net.http.HttpRequest.newBuilder(base.resolve("/internal/instances/nope"))
                .DELETE().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        assertThat(json.readTree(unknown.body()).path("type").stringValue())
                .isEqualTo("urn:cloudfunc:problem:instance-not-found");
    }

    @Test
    void importErrorFailsAsAFunctionErrorAndRemovesTheContainer() throws Exception {
        FunctionVersionView broken = deploy("broken", Map.of("function.py", """
                import not_a_module_anywhere
                def handler(event):
                    return 1
                """), 5_000, 128, 60_000);

        InvocationCompleted failed = call(broken, "{}");

        assertThat(failed.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(failed.errorKind()).isEqualTo(ErrorKind.FUNCTION);
        assertThat(failed.startType()).isEqualTo(StartType.COLD);
        assertThat(failed.error().type()).isEqualTo("ModuleNotFoundError");
        assertThat(failed.error().message()).contains("not_a_module_anywhere");
        assertThat(failed.error().trace()).containsExactly("  File \"function.py\", line 1, in <module>",
                "    import not_a_module_anywhere");
        assertThat(containersOf(broken)).isEmpty();
    }

    @Test
    void memoryHogIsKilledAndReportedAsOutOfMemory() throws Exception {
        FunctionVersionView hog = deploy("hog", Map.of("function.py", """
                def handler(event):
                    hoard = b"x" * (256 * 1024 * 1024)
                    return len(hoard)
                """), 10_000, 48, 60_000);

        InvocationCompleted failed = call(hog, "{}");

        assertThat(failed.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(failed.errorKind()).isEqualTo(ErrorKind.FUNCTION);
        assertThat(failed.error().type()).isEqualTo("OutOfMemoryError");
        assertThat(failed.error().message()).contains("out of memory").contains("48 MB");
        assertThat(containersOf(hog)).isEmpty();
    }

    @Test
    void hugeOutputIsCappedAndAnOversizedResultFailsTheCallAlone() throws Exception {
        FunctionVersionView loud = deploy("loud", Map.of("function.py", """
                def handler(event):
                    if event["huge"]:
                        return "x" * (17 * 1024 * 1024)
                    print("y" * 200_000)
                    return "ok"
                """), 10_000, 128, 60_000);

        InvocationCompleted chatty = call(loud, "{\"huge\":false}");
        InvocationCompleted oversized = call(loud, "{\"huge\":true}");

        assertThat(chatty.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(chatty.logs()).endsWith("\n...[truncated]").hasSizeLessThanOrEqualTo(64 * 1024 + 20);
        assertThat(oversized.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(oversized.error().type()).isEqualTo("ResultTooLarge");
        assertThat(oversized.errorKind()).isEqualTo(ErrorKind.FUNCTION);
        assertThat(containersOf(loud)).isEmpty();
    }

    @Test
    void unknownFunctionIsDeadLetteredAndRecordedAsFailed() throws Exception {
        UUID id = UUID.randomUUID();

        InvocationCompleted failed = send(new InvokeFunction(id, "ghost-" + suffix, 1, json.readTree("{}"),
                Instant.now(), null));

        assertThat(failed.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(failed.errorKind()).isEqualTo(ErrorKind.PLATFORM);
        assertThat(failed.error().type()).isEqualTo("FunctionNotFound");
        assertThat(recorded(id)).isEqualTo(failed);
        Message dead = rabbit.receive(Topology.DEAD_LETTER_QUEUE, 5_000);
        assertThat(dead).isNotNull();
        assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).contains(id.toString());
    }

    @Test
    void malformedMessageIsDeadLettered() {
        MessageProperties properties = new MessageProperties();
        properties.setContentType("application/json");
        String body = "this is not json " + suffix;

        rabbit.send(Topology.INVOCATIONS_EXCHANGE, Topology.INVOKE_ROUTING_KEY,
                new Message(body.getBytes(StandardCharsets.UTF_8), properties));

        Message dead = rabbit.receive(Topology.DEAD_LETTER_QUEUE, 10_000);
        assertThat(dead).isNotNull();
        assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).isEqualTo(body);
    }

    @Test
    void deletedFunctionLosesItsIdleContainers() throws Exception {
        FunctionVersionView doomed = deploy("doomed", Map.of("function.py", "def handler(event):\n    return 1\n"),
                5_000, 128, 60_000);
        call(doomed, "{}");
        assertThat(containersOf(doomed)).hasSize(1);

        // As any producer may send it: plain JSON, no Spring type header.
        MessageProperties properties = new MessageProperties();
        properties.setContentType("application/json");
        properties.setType(Topology.TYPE_FUNCTION_CHANGED);
        rabbit.send(Topology.EVENTS_EXCHANGE, Topology.FUNCTION_CHANGED_ROUTING_KEY, new Message(json.writeValueAsBytes(
                new FunctionChanged(doomed.functionName(), FunctionChanged.Change.DELETED, 0)), properties));

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> containersOf(doomed).isEmpty());
    }

    @Test
    void orphansOfThisNodeAreRemovedAtStartAndOtherNodesContainersKept() throws Exception {
        assertThat(ItInfrastructure.containers(Map.of(Labels.KEY, ORPHANS.orphanKey))).isEmpty();
        assertThat(INFRA.socketRoot().resolve(ORPHANS.orphanKey)).doesNotExist();
        assertThat(INFRA.socketRoot().resolve(ORPHANS.staleKey)).doesNotExist();
        assertThat(ItInfrastructure.containers(Map.of(Labels.KEY, ORPHANS.foreignKey))).hasSize(1);
    }

    @Test
    void measuresTheWarmRoundTrip() throws Exception {
        FunctionVersionView hello = deploy("warm", Map.of("function.py",
                Files.readString(ItInfrastructure.exampleFunction())), 5_000, 128, 60_000);
        call(hello, "{\"name\":\"Alice\"}"); // cold start
        JsonNode event = json.readTree("{\"name\":\"Alice\"}");

        long[] socket = new long[2_000];
        Lease lease = pool.acquire(hello, UUID.randomUUID(), () -> {
            throw new AssertionError("the container is warm");
        });
        try {
            for (int i = 0; i < socket.length; i++) {
                long start = System.nanoTime();
                CallOutcome outcome = lease.connection().invoke(UUID.randomUUID(), event, 0,
                        Duration.ofSeconds(5));
                socket[i] = System.nanoTime() - start;
                assertThat(outcome.result().stringValue()).isEqualTo("Hello Alice!");
            }
        } finally {
            pool.release(lease);
        }
        long[] service = new long[500];
        for (int i = 0; i < service.length; i++) {
            long start = System.nanoTime();
            InvocationCompleted done = invocations.run(new InvokeFunction(UUID.randomUUID(), hello.functionName(), 1,
                    event, Instant.now(), hello.codeSha256()));
            service[i] = System.nanoTime() - start;
            assertThat(done.startType()).isEqualTo(StartType.WARM);
        }
        long[] put = new long[300];
        InvocationCompleted sample = call(hello, "{\"name\":\"Alice\"}");
        for (int i = 0; i < put.length; i++) {
            long start = System.nanoTime();
            records.completed(sample).join();
            put[i] = System.nanoTime() - start;
        }
        // A persistent consumer on the reply queue, as the scheduler has: no per-call consumer set-up or polling.
        String directReplies = "it.replies.direct." + suffix;
        admin.declareQueue(new Queue(directReplies, false, false, true));
        java.util.concurrent.BlockingQueue<Message> arrived = new java.util.concurrent.LinkedBlockingQueue<>();
        var replyConsumer = new org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer(
                rabbit.getConnectionFactory());
        replyConsumer.setQueueNames(directReplies);
        replyConsumer.setMessageListener(arrived::add);
        replyConsumer.start();
        long[] broker = new long[300];
        try {
            for (int i = 0; i < broker.length; i++) {
                UUID id = UUID.randomUUID();
                long start = System.nanoTime();
                rabbit.convertAndSend(Topology.INVOCATIONS_EXCHANGE, Topology.INVOKE_ROUTING_KEY,
                        new InvokeFunction(id, hello.functionName(), 1, event, Instant.now(), hello.codeSha256()),
                        message -> {
                            message.getMessageProperties().setReplyTo(directReplies);
                            message.getMessageProperties().setCorrelationId(id.toString());
                            return message;
                        });
                Message reply = arrived.poll(10, TimeUnit.SECONDS);
                broker[i] = System.nanoTime() - start;
                assertThat(reply).isNotNull();
                assertThat(reply.getMessageProperties().getCorrelationId()).isEqualTo(id.toString());
            }
        } finally {
            replyConsumer.stop();
        }
        System.out.println("[measure] warm socket round trip (manager side): " + percentiles(socket));
        System.out.println("[measure] warm InvocationService.run (pool + socket): " + percentiles(service));
        System.out.println("[measure] final record published and confirmed (RecordPublisher): " + percentiles(put));
        System.out.println("[measure] warm call publish -> reply (RabbitMQ + reply consumer): " + percentiles(broker));
    }

    // --- helpers -------------------------------------------------------------------------------------------

    private FunctionVersionView deploy(String name, Map<String, String> files, long timeoutMs, int memoryMb,
                                       long idleTtlMs) throws Exception {
        return deploy(name, files, timeoutMs, memoryMb, idleTtlMs, Map.of());
    }

    private FunctionVersionView deploy(String name, Map<String, String> files, long timeoutMs, int memoryMb,
                                       long idleTtlMs, Map<String, String> env) throws Exception {
        return INFRA.registry.deploy(name + "-" + suffix, 1, new LinkedHashMap<>(files), timeoutMs, memoryMb,
                idleTtlMs, env);
    }

    private InvocationCompleted call(FunctionVersionView function, String event) throws Exception {
        return callAll(function, List.of(event)).getFirst();
    }

    private List<InvocationCompleted> callAll(FunctionVersionView function, List<String> events) throws Exception {
        List<UUID> ids = new ArrayList<>();
        for (String event : events) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            publish(new InvokeFunction(id, function.functionName(), function.version(), json.readTree(event),
                    Instant.now(), function.codeSha256()));
        }
        Map<String, InvocationCompleted> replies = awaitReplies(ids);
        return ids.stream().map(id -> replies.get(id.toString())).toList();
    }

    /** The outcome as the records queue received it: the manager replies first and records it right after. */
    private static InvocationCompleted recorded(UUID invocationId) {
        return await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .until(() -> INFRA.records.completed.get(invocationId), Objects::nonNull);
    }

    private InvocationCompleted send(InvokeFunction command) {
        publish(command);
        return awaitReplies(List.of(command.invocationId())).get(command.invocationId().toString());
    }

    private void publish(InvokeFunction command) {
        rabbit.convertAndSend(Topology.INVOCATIONS_EXCHANGE, Topology.INVOKE_ROUTING_KEY, command, message -> {
            message.getMessageProperties().setReplyTo(replyQueue());
            message.getMessageProperties().setCorrelationId(command.invocationId().toString());
            message.getMessageProperties().setType(Topology.TYPE_INVOKE_FUNCTION);
            return message;
        });
    }

    private Map<String, InvocationCompleted> awaitReplies(List<UUID> ids) {
        Map<String, InvocationCompleted> replies = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (replies.size() < ids.size() && System.nanoTime() < deadline) {
            Message reply = rabbit.receive(replyQueue(), 1_000);
            if (reply == null) {
                continue;
            }
            InvocationCompleted completed = json.readValue(reply.getBody(), InvocationCompleted.class);
            assertThat(reply.getMessageProperties().getCorrelationId())
                    .isEqualTo(completed.invocationId().toString());
            assertThat(reply.getMessageProperties().getContentType()).isEqualTo("application/json");
            replies.put(reply.getMessageProperties().getCorrelationId(), completed);
        }
        assertThat(replies.keySet()).as("replies received")
                .containsExactlyInAnyOrderElementsOf(ids.stream().map(UUID::toString).toList());
        return replies;
    }

    private String replyQueue() {
        if (replyQueue == null) {
            replyQueue = "it.replies." + suffix;
            admin.declareQueue(new Queue(replyQueue, false, false, false));
        }
        return replyQueue;
    }

    private static List<String> containersOf(FunctionVersionView function) throws Exception {
        return ItInfrastructure.containers(Map.of(Labels.FUNCTION, function.functionName(),
                Labels.MANAGER, INFRA.node));
    }

    private static String percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format("n=%d p50=%.3f ms p90=%.3f ms p99=%.3f ms max=%.3f ms", sorted.length,
                sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.9)] / 1e6,
                sorted[(int) (sorted.length * 0.99)] / 1e6, sorted[sorted.length - 1] / 1e6);
    }

    /** Containers and directories planted before the manager starts. */
    static final class Orphans {

        final String orphanKey = "0rphan" + UUID.randomUUID().toString().substring(0, 10);
        final String staleKey = "57a1e" + UUID.randomUUID().toString().substring(0, 11);
        final String foreignKey = "f0re1gn" + UUID.randomUUID().toString().substring(0, 9);

        static Orphans create() {
            Orphans orphans = new Orphans();
            try {
                orphans.plant(orphans.orphanKey, INFRA.node);
                orphans.plant(orphans.foreignKey, "someone-else-" + INFRA.suffix);
                Files.createDirectories(INFRA.socketRoot().resolve(orphans.staleKey).resolve("code"));
                Files.createDirectories(INFRA.socketRoot().resolve(orphans.orphanKey));
            } catch (Exception e) {
                throw new IllegalStateException("cannot plant orphans: " + e.getMessage(), e);
            }
            return orphans;
        }

        private void plant(String key, String node) throws Exception {
            ItInfrastructure.run(Duration.ofSeconds(60), "docker", "run", "-d", "--network", "none",
                    "--label", Labels.MANAGED + "=true", "--label", Labels.MANAGER + "=" + node,
                    "--label", Labels.KEY + "=" + key, "--entrypoint", "python3",
                    ItInfrastructure.RUNTIME_IMAGE, "-c", "import time; time.sleep(600)");
        }

        void removeForeign() throws Exception {
            for (String id : ItInfrastructure.containers(Map.of(Labels.KEY, foreignKey))) {
                ItInfrastructure.run(Duration.ofSeconds(60), "docker", "rm", "-f", id);
            }
        }
    }
}
