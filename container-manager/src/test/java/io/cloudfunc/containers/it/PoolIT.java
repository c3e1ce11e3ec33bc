package io.cloudfunc.containers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudfunc.containers.code.CodeCache;
import io.cloudfunc.containers.pool.ContainerState;
import io.cloudfunc.containers.pool.FunctionKey;
import io.cloudfunc.containers.pool.Labels;
import io.cloudfunc.containers.pool.Lease;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.StartType;
import io.cloudfunc.contracts.messaging.FunctionChanged;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.Topology;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The pool's scaling against the real Docker engine and RabbitMQ: prewarmed starts, maxInstances under a burst,
 * FIFO service, concurrency, minInstances, idle expiry with TTL reset, and the metrics on /actuator/prometheus.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class PoolIT extends ManagerIT {

    static final ItInfrastructure INFRA = ItInfrastructure.start();

    static {
        try { // prewarmed node and java containers start with the context: their images must exist before
            ItInfrastructure.ensureNodeImage();
            ItInfrastructure.ensureJavaImage();
        } catch (Exception e) {
            throw new IllegalStateException("runtime images unavailable: " + e.getMessage(), e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        INFRA.register(registry);
        registry.add("containers.pool.reaper-interval", () -> "100ms");
        registry.add("containers.consumer.concurrency", () -> "12");
        registry.add("containers.runtimes.python.prewarm-min", () -> "1");
        registry.add("containers.runtimes.python.prewarm-max", () -> "2");
        registry.add("containers.runtimes.node.prewarm-min", () -> "1");
        registry.add("containers.runtimes.node.prewarm-max", () -> "1");
        registry.add("containers.runtimes.java.prewarm-min", () -> "1");
        registry.add("containers.runtimes.java.prewarm-max", () -> "1");
        // metrics export is off in tests unless asked for
        registry.add("management.defaults.metrics.export.enabled", () -> "true");
        registry.add("management.prometheus.metrics.export.enabled", () -> "true");
    }

    @Autowired
    CodeCache codeCache;
    @Autowired
    MeterRegistry meters;
    @LocalServerPort
    int port;

    private final String suffix = UUID.randomUUID().toString().substring(0, 6);

    @Test
    void coldCallOfANewFunctionTakesAPrewarmedContainerAndThePoolRefills() throws Exception {
        awaitPrewarmed();
        FunctionVersionView hello = deploy("prewarm", "def handler(event):\n    return 'hi ' + event['name']\n",
                60_000, 0, 10, 1);

        InvocationCompleted first = call(hello, "{\"name\":\"Alice\"}");
        InvocationCompleted second = call(hello, "{\"name\":\"Bob\"}");

        assertThat(first.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(first.result().stringValue()).isEqualTo("hi Alice");
        assertThat(first.startType()).isEqualTo(StartType.PREWARMED);
        assertThat(second.startType()).isEqualTo(StartType.WARM);
        // the manager replies first and records the outcome right after
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .untilAsserted(() -> assertThat(INFRA.registry.completed.get(first.invocationId())).isNotNull());
        awaitPrewarmed(); // refilled in the background
        String key = pool.snapshot().stream().filter(c -> FunctionKey.of(hello).equals(c.function())).findFirst()
                .orElseThrow().key();
        String id = ItInfrastructure.containers(Map.of(Labels.KEY, key)).getFirst();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertThat(ItInfrastructure.run(Duration.ofSeconds(30), "docker", "inspect", "-f", "{{.Name}}", id)
                        .output().trim()).as("renamed after its function")
                        .startsWith("/cloudfunc-" + hello.functionName() + "-v1-"));
    }

    @Test
    void javaAndNodeFunctionsOfThePrewarmMemoryTakeAPrewarmedContainerAndOtherSizesStartCold() throws Exception {
        byte[] jar = Files.readAllBytes(ItInfrastructure.repository("runtimes", "java", "example", "hello-fn",
                "target", "hello-fn.jar"));
        byte[] script = StubRegistry.zip(Map.of("index.js", Files.readString(ItInfrastructure.repository("runtimes",
                "node", "example", "hello_fn", "index.js"))));
        // a JVM and V8 size their heaps when they start: only functions of the prewarm memory (128 MB) fit
        FunctionVersionView java = INFRA.registry.deploy("java-pre-" + suffix, 1, "java", "com.example.Hello", jar,
                10_000, 128, 60_000, Map.of());
        FunctionVersionView bigJava = INFRA.registry.deploy("java-big-" + suffix, 1, "java", "com.example.Hello",
                jar, 10_000, 256, 60_000, Map.of());
        FunctionVersionView node = INFRA.registry.deploy("node-pre-" + suffix, 1, "node", "index.handler", script,
                5_000, 128, 60_000, Map.of());
        awaitPrewarmed("java");
        awaitPrewarmed("node");

        InvocationCompleted javaFirst = call(java, "{\"name\":\"Alice\"}");
        InvocationCompleted javaSecond = call(java, "{\"name\":\"Bob\"}");
        InvocationCompleted nodeFirst = call(node, "{\"name\":\"Carol\"}");
        awaitPrewarmed("java"); // refilled
        String spare = pool.snapshot().stream().filter(c -> "java".equals(c.runtime())
                && c.state() instanceof ContainerState.Prewarmed).findFirst().orElseThrow().key();
        Map<String, Double> removalsBefore = removals();
        InvocationCompleted big = call(bigJava, "{\"name\":\"Dan\"}");

        assertThat(javaFirst.status()).as(String.valueOf(javaFirst.error())).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(javaFirst.result().stringValue()).isEqualTo("Hello Alice!");
        assertThat(javaFirst.startType()).isEqualTo(StartType.PREWARMED);
        assertThat(javaFirst.logs()).isEqualTo("greeting for invocation " + javaFirst.invocationId() + "\n");
        assertThat(javaSecond.result().stringValue()).isEqualTo("Hello Bob!");
        assertThat(javaSecond.startType()).isEqualTo(StartType.WARM);
        assertThat(nodeFirst.status()).as(String.valueOf(nodeFirst.error())).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(nodeFirst.result().stringValue()).isEqualTo("Hello Carol!");
        assertThat(nodeFirst.startType()).isEqualTo(StartType.PREWARMED);
        assertThat(big.status()).as(String.valueOf(big.error())).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(big.startType()).as("a 256 MB JVM is not a 128 MB one").isEqualTo(StartType.COLD);
        assertThat(pool.snapshot()).as("the prewarmed JVM %s was left for others (removals by reason before the"
                + " call %s, after it %s)", spare, removalsBefore, removals())
                .anyMatch(c -> c.key().equals(spare) && c.state() instanceof ContainerState.Prewarmed);
    }

    @Test
    void aDeployedVersionsCodeIsFetchedBeforeItsFirstCall() throws Exception {
        FunctionVersionView fresh = deploy("fetched", "def handler(event):\n    return 'ready'\n", 60_000, 0, 10, 1);
        int before = INFRA.registry.codeDownloads.get();

        functionChanged(new FunctionChanged(fresh.functionName(), FunctionChanged.Change.DEPLOYED, 1));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> Files.isDirectory(INFRA.codeCache().resolve(fresh.codeSha256())));
        int fetched = INFRA.registry.codeDownloads.get();
        InvocationCompleted first = call(fresh, "{}");

        assertThat(first.result().stringValue()).isEqualTo("ready");
        assertThat(fetched - before).as("fetched once, on the deploy event").isEqualTo(1);
        assertThat(INFRA.registry.codeDownloads.get()).as("the first call downloads nothing").isEqualTo(fetched);
    }

    @Test
    void aDeployEventThatCarriesTheVersionSparesEveryRegistryLookUpButTheCode() throws Exception {
        FunctionVersionView fresh = deploy("announced", "def handler(event):\n    return 'known'\n", 60_000, 0, 10,
                1);
        int lookups = INFRA.registry.versionLookups.get();

        functionChanged(new FunctionChanged(fresh.functionName(), FunctionChanged.Change.DEPLOYED, 1, fresh));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> Files.isDirectory(INFRA.codeCache().resolve(fresh.codeSha256())));
        InvocationCompleted first = call(fresh, "{}");

        assertThat(first.result().stringValue()).isEqualTo("known");
        assertThat(INFRA.registry.versionLookups.get()).as("the version came with the event").isEqualTo(lookups);
    }

    @Test
    void prewarmedContainerTakesTheMemoryLimitOfTheFunctionItIsGiven() throws Exception {
        awaitPrewarmed();
        FunctionVersionView big = deploy("big", "def handler(event):\n    return 2\n", 60_000, 0, 10, 1, 256);

        InvocationCompleted call = call(big, "{}");

        assertThat(call.startType()).isEqualTo(StartType.PREWARMED);
        String key = pool.snapshot().stream().filter(c -> FunctionKey.of(big).equals(c.function())).findFirst()
                .orElseThrow().key();
        String id = ItInfrastructure.containers(Map.of(Labels.KEY, key)).getFirst();
        String limits = ItInfrastructure.run(Duration.ofSeconds(30), "docker", "inspect", "-f",
                "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}}", id).output().trim();
        assertThat(limits).isEqualTo("268435456 268435456");
    }

    @Test
    void prewarmedContainerTakesTheCpuLimitOfTheFunctionItIsGiven() throws Exception {
        awaitPrewarmed();
        FunctionVersionView throttled = INFRA.registry.withCpuLimit(
                deploy("throttled", "def handler(event):\n    return 3\n", 60_000, 0, 10, 1), 250);

        InvocationCompleted call = call(throttled, "{}");

        assertThat(call.startType()).isEqualTo(StartType.PREWARMED);
        String key = pool.snapshot().stream().filter(c -> FunctionKey.of(throttled).equals(c.function()))
                .findFirst().orElseThrow().key();
        String id = ItInfrastructure.containers(Map.of(Labels.KEY, key)).getFirst();
        String limits = ItInfrastructure.run(Duration.ofSeconds(30), "docker", "inspect", "-f",
                "{{.HostConfig.CpuPeriod}} {{.HostConfig.CpuQuota}} {{.HostConfig.NanoCpus}}", id).output().trim();
        assertThat(limits).isEqualTo("100000 25000 0");
    }

    /**
     * Ten cold calls in a row each find a prewarmed container (the pool refills after every hit). The time of the
     * prewarmed path (specialise: code in, init) is printed for reference, never asserted: docs/performance.md has
     * the measured figures.
     */
    @Test
    void everyColdCallInARowFindsARefilledPrewarmedContainer() throws Exception {
        long[] nanos = new long[10];
        for (int i = 0; i < nanos.length; i++) {
            awaitPrewarmed();
            FunctionVersionView function = deploy("measure" + i, "def handler(event):\n    return 1\n", 60_000, 0,
                    10, 1);
            Lease lease = pool.acquire(function, UUID.randomUUID(), () -> codeCache.resolve(function));
            try {
                assertThat(lease.startType()).isEqualTo(StartType.PREWARMED);
                nanos[i] = lease.coldStartNanos();
            } finally {
                pool.release(lease);
            }
        }
        Arrays.sort(nanos);
        System.out.printf("[measure] prewarmed start (specialise: code + init), n=%d: p50=%.1f ms min=%.1f ms"
                + " max=%.1f ms%n", nanos.length, nanos[nanos.length / 2] / 1e6, nanos[0] / 1e6,
                nanos[nanos.length - 1] / 1e6);
    }

    @Test
    void burstOfThreeTimesMaxInstancesIsAnsweredInOrderWithNeverMoreThanMaxContainers() throws Exception {
        int max = 2;
        FunctionVersionView slow = deploy("burst", """
                import time
                def handler(event):
                    entered = time.time()
                    time.sleep(0.4)
                    return entered
                """, 60_000, 0, max, 1);
        FunctionVersionView other = deploy("bystander", "def handler(event):\n    return 'still served'\n",
                60_000, 0, 10, 1);
        AtomicInteger most = new AtomicInteger();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = Thread.ofVirtual().start(() -> {
            while (sampling.get()) {
                most.accumulateAndGet(containersOf(FunctionKey.of(slow)), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        // both containers started first, so that a slower start does not blur the order in which calls enter; the
        // other function's container too, so that its call below measures waiting behind the burst, not a cold start
        // (which a loaded machine can stretch past the burst's 1.2 s)
        awaitReplies(List.of(publish(slow, "{}"), publish(slow, "{}"), publish(other, "{}")));
        List<UUID> burst = new ArrayList<>();
        for (int i = 0; i < 3 * max; i++) {
            burst.add(publish(slow, "{}"));
            Thread.sleep(30); // so that arrival order at the manager is the publishing order
        }
        UUID bystander = publish(other, "{}");

        Map<UUID, InvocationCompleted> replies = awaitReplies(with(burst, bystander));
        sampling.set(false);
        sampler.join();

        List<Double> entered = burst.stream().map(id -> replies.get(id).result().doubleValue()).toList();
        assertThat(burst).allSatisfy(id -> assertThat(replies.get(id).status()).isEqualTo(InvocationStatus.SUCCEEDED));
        // FIFO, slot by slot: the calls of each wave of `max` entered the handler after every call of the wave before
        for (int wave = 1; wave < 3; wave++) {
            double previousLatest = Math.max(entered.get((wave - 1) * max), entered.get((wave - 1) * max + 1));
            double earliest = Math.min(entered.get(wave * max), entered.get(wave * max + 1));
            assertThat(earliest).as("wave %d entered after wave %d", wave, wave - 1).isGreaterThan(previousLatest);
        }
        assertThat(most.get()).as("containers of the function at any time").isEqualTo(max);
        assertThat(replies.get(bystander).result().stringValue()).isEqualTo("still served");
        Instant lastOfBurst = burst.stream().map(calls()::arrivalOf).max(Instant::compareTo).orElseThrow();
        assertThat(calls().arrivalOf(bystander)).as("the other function is not stuck behind the burst")
                .isBefore(lastOfBurst);
    }

    @Test
    void containerWithConcurrencyTwoServesTwoCallsAtOnce() throws Exception {
        FunctionVersionView shared = deploy("shared", """
                import threading
                both = threading.Barrier(2, timeout=10)
                def handler(event):
                    print("call", event["n"])
                    both.wait()  # passes only when the other call runs at the same time
                    return event["n"]
                """, 60_000, 0, 1, 2);

        List<UUID> ids = List.of(publish(shared, "{\"n\":1}"), publish(shared, "{\"n\":2}"));
        Map<UUID, InvocationCompleted> replies = awaitReplies(ids);

        assertThat(replies.get(ids.get(0)).result().intValue()).isEqualTo(1);
        assertThat(replies.get(ids.get(1)).result().intValue()).isEqualTo(2);
        assertThat(replies.get(ids.get(0)).logs()).isEqualTo("call 1\n");
        assertThat(replies.get(ids.get(1)).logs()).isEqualTo("call 2\n");
        assertThat(containersOf(FunctionKey.of(shared))).isEqualTo(1);
    }

    @Test
    void nodeContainerWithConcurrencyTwoServesTwoCallsAtOnce() throws Exception {
        ItInfrastructure.ensureNodeImage();
        byte[] code = StubRegistry.zip(Map.of("index.js", """
                let arrived = 0;
                let bothHere;
                const both = new Promise((resolve) => { bothHere = resolve; });
                exports.handler = async (event) => {
                  console.log('call', event.n);
                  if (++arrived === 2) bothHere();
                  // passes only when the other call runs at the same time, in this container
                  const alone = new Promise((resolve, reject) => setTimeout(() => reject(new Error('alone')), 10000));
                  await Promise.race([both, alone]);
                  console.log('done', event.n);
                  return event.n;
                };
                """));
        FunctionVersionView shared = INFRA.registry.deploy("node-shared-" + suffix, 1, "node", "index.handler", code,
                20_000, 128, 60_000, Map.of(), 0, 1, 2);

        assertTwoCallsOverlapInOneContainer(shared, "call %d\ndone %d\n");
    }

    @Test
    void javaContainerWithConcurrencyTwoServesTwoCallsAtOnce() throws Exception {
        ItInfrastructure.ensureJavaImage();
        byte[] code = ItInfrastructure.compiledJavaFunction("it.Meeting", """
                package it;

                import java.util.Map;
                import java.util.concurrent.CyclicBarrier;
                import java.util.concurrent.TimeUnit;

                public class Meeting {
                    private final CyclicBarrier both = new CyclicBarrier(2);

                    public int meet(Map<String, Object> event) throws Exception {
                        System.out.println("call " + event.get("n"));
                        both.await(10, TimeUnit.SECONDS); // passes only when the other call runs at the same time
                        System.err.println("done " + event.get("n"));
                        return ((Number) event.get("n")).intValue();
                    }
                }
                """);
        FunctionVersionView shared = INFRA.registry.deploy("java-shared-" + suffix, 1, "java", "it.Meeting::meet",
                code, 20_000, 256, 60_000, Map.of(), 0, 1, 2);

        assertTwoCallsOverlapInOneContainer(shared, "call %d\ndone %d\n");
    }

    /** maxInstances 1, concurrency 2: the two calls can only meet in one container serving both at once. */
    private void assertTwoCallsOverlapInOneContainer(FunctionVersionView shared, String logs) throws Exception {
        List<UUID> ids = List.of(publish(shared, "{\"n\":1}"), publish(shared, "{\"n\":2}"));
        Map<UUID, InvocationCompleted> replies = awaitReplies(ids);

        for (int n = 1; n <= 2; n++) {
            InvocationCompleted reply = replies.get(ids.get(n - 1));
            assertThat(reply.status()).as(String.valueOf(reply.error())).isEqualTo(InvocationStatus.SUCCEEDED);
            assertThat(reply.result().intValue()).isEqualTo(n);
            assertThat(reply.logs()).isEqualTo(logs.formatted(n, n));
        }
        assertThat(containersOf(FunctionKey.of(shared))).isEqualTo(1);
        // (by its key: a prewarmed container that took the function carries no function label)
        String key = pool.snapshot().stream().filter(c -> FunctionKey.of(shared).equals(c.function())).findFirst()
                .orElseThrow().key();
        assertThat(ItInfrastructure.containers(Map.of(Labels.MANAGER, INFRA.node, Labels.KEY, key))).hasSize(1);
    }

    @Test
    void minInstancesAreStartedOnDeployAndOutliveTheirIdleTtl() throws Exception {
        FunctionVersionView kept = deploy("kept", "def handler(event):\n    return 'warm'\n", 300, 1, 10, 1);

        functionChanged(new FunctionChanged(kept.functionName(), FunctionChanged.Change.DEPLOYED, 1));
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> idleContainersOf(FunctionKey.of(kept)) == 1);
        Thread.sleep(1_000); // more than three idle TTLs

        assertThat(idleContainersOf(FunctionKey.of(kept))).isEqualTo(1);
        InvocationCompleted call = call(kept, "{}");
        assertThat(call.startType()).isEqualTo(StartType.WARM);

        functionChanged(new FunctionChanged(kept.functionName(), FunctionChanged.Change.DELETED, 0));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> containersOf(FunctionKey.of(kept)) == 0);
    }

    @Test
    void idleContainerExpiresAfterItsTtlAndEveryCallResetsIt() throws Exception {
        FunctionVersionView brief = deploy("brief", "def handler(event):\n    return 1\n", 1_500, 0, 10, 1);

        call(brief, "{}");
        Thread.sleep(1_000);
        InvocationCompleted again = call(brief, "{}"); // resets the TTL
        Thread.sleep(1_000); // 2 s after the first call, 1 s after the second
        int stillThere = containersOf(FunctionKey.of(brief));

        assertThat(again.startType()).isEqualTo(StartType.WARM);
        assertThat(stillThere).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> containersOf(FunctionKey.of(brief)) == 0);
    }

    @Test
    void poolMetricsAreOnTheActuatorsPrometheusEndpoint() throws Exception {
        FunctionVersionView metered = deploy("metered", "def handler(event):\n    return 1\n", 60_000, 0, 10, 1);
        call(metered, "{}");
        call(metered, "{}");
        Thread.sleep(300); // a reaper tick refreshes the gauges

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("cloudfunc_containers{")
                .contains("function=\"" + metered.functionName() + "\"")
                .contains("cloudfunc_container_starts_total{")
                .contains("type=\"warm\"")
                .contains("cloudfunc_container_start_seconds_bucket{")
                .contains("cloudfunc_invocation_duration_seconds_bucket{")
                .contains("cloudfunc_container_evictions_total")
                .contains("cloudfunc_container_oom_kills_total")
                .contains("cloudfunc_invocation_timeouts_total");
    }

    // --- helpers -------------------------------------------------------------------------------------------

    private FunctionVersionView deploy(String name, String source, long idleTtlMs, int min, int max, int concurrency)
            throws Exception {
        return deploy(name, source, idleTtlMs, min, max, concurrency, 128);
    }

    private FunctionVersionView deploy(String name, String source, long idleTtlMs, int min, int max, int concurrency,
                                       int memoryMb) throws Exception {
        return INFRA.registry.deploy(name + "-" + suffix, 1, new LinkedHashMap<>(Map.of("function.py", source)),
                10_000, memoryMb, idleTtlMs, Map.of(), min, max, concurrency);
    }

    /** The pool's removals so far, by reason (cloudfunc.container.removals). */
    private Map<String, Double> removals() {
        Map<String, Double> byReason = new TreeMap<>();
        meters.find("cloudfunc.container.removals").counters()
                .forEach(c -> byReason.merge(c.getId().getTag("reason"), c.count(), Double::sum));
        return byReason;
    }

    private void awaitPrewarmed() {
        awaitPrewarmed("python");
    }

    private void awaitPrewarmed(String runtime) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> pool.snapshot().stream().anyMatch(c -> runtime.equals(c.runtime())
                        && c.state() instanceof ContainerState.Prewarmed));
    }

    private int containersOf(FunctionKey function) {
        return (int) pool.snapshot().stream()
                .filter(c -> function.equals(c.function()) && !"removing".equals(c.state().label()))
                .count();
    }

    private int idleContainersOf(FunctionKey function) {
        return (int) pool.snapshot().stream()
                .filter(c -> function.equals(c.function()) && "idle".equals(c.state().label()))
                .count();
    }

    private static List<UUID> with(List<UUID> ids, UUID more) {
        List<UUID> all = new ArrayList<>(ids);
        all.add(more);
        return all;
    }


    private void functionChanged(FunctionChanged event) {
        MessageProperties properties = new MessageProperties();
        properties.setContentType("application/json");
        properties.setType(Topology.TYPE_FUNCTION_CHANGED);
        rabbit.send(Topology.EVENTS_EXCHANGE, Topology.FUNCTION_CHANGED_ROUTING_KEY,
                new Message(json.writeValueAsBytes(event), properties));
    }
}
