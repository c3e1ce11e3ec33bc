package io.cloudfunc.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import org.HdrHistogram.Histogram;

import io.cloudfunc.bench.load.ClosedLoop;
import io.cloudfunc.bench.load.Gateway;
import io.cloudfunc.bench.load.Latencies;
import io.cloudfunc.bench.load.OpenLoop;
import io.cloudfunc.bench.report.Markdown;
import io.cloudfunc.bench.report.Row;
import io.cloudfunc.bench.report.Section;
import io.cloudfunc.bench.report.Spread;

/**
 * The scenarios of the harness, one method each. A scenario whose platform feature is missing answers its rows
 * as "not measured" with what the platform said, and the run goes on.
 */
final class Scenarios {

    static final String ECHO = "echo";
    static final String EVENT = "{\"name\":\"Alice\"}";
    private static final String CF = Row.CLOUDFUNC;
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]+)\"");
    private static final long LONG_IDLE_TTL_MS = 900_000;

    private final BenchOptions options;
    private final Plan plan;
    private final Gateway gateway;
    private final ServiceMemory memory;
    private final HttpRequest warmCall;
    /** offered rate and p99 of each step of the throughput sweep, for the chart */
    final List<double[]> sweep = new ArrayList<>();
    /** MiB of each warm container of the echo function, sampled after the warm scenario */
    private List<Double> warmContainerMiB = List.of();
    private boolean loadRan;

    Scenarios(BenchOptions options, Plan plan, Gateway gateway, ServiceMemory memory) {
        this.options = options;
        this.plan = plan;
        this.gateway = gateway;
        this.memory = memory;
        this.warmCall = gateway.invoke(ECHO, EVENT, false);
    }

    /** Deploys the echo function and calls it once; returns null when it works, else what went wrong. */
    String deployEcho() throws Exception {
        Gateway.Answer deployed = gateway.deployInline(ECHO, "python", TestFunctions.PYTHON_ECHO, LONG_IDLE_TTL_MS);
        if (deployed.status() / 100 != 2) {
            return "deploying the echo function answered " + deployed.describe();
        }
        Gateway.Answer first = gateway.send(warmCall);
        return first.ok() ? null : "the first call of the echo function answered " + first.describe();
    }

    /** Deploys the Python echo under another name (default idle TTL); null when it worked, else why not. */
    private String deployPythonEcho(String name) throws Exception {
        return deployPythonEcho(name, null);
    }

    private String deployPythonEcho(String name, String ociRuntime) throws Exception {
        Gateway.Answer deploy = gateway.deployInline(name, "python", TestFunctions.PYTHON_ECHO, 60_000, ociRuntime);
        return deploy.status() / 100 == 2 ? null : "deploy answered " + deploy.describe();
    }

    private boolean warmCall() throws Exception {
        return gateway.send(warmCall).ok();
    }

    // 1. warm synchronous invoke, closed loop at each concurrency

    Section warm() throws Exception {
        Progress.say("warm: JIT warm-up of the services, concurrency 8 for %ds", plan.jitWarmup().toSeconds());
        Progress.say("warm: warm-up %s", ClosedLoop.run(8, plan.jitWarmup(), this::warmCall));
        loadRan = true;
        List<Row> rows = new ArrayList<>();
        for (int concurrency : plan.concurrencies()) {
            // let the platform start the containers this concurrency needs before measuring
            ClosedLoop.run(concurrency, plan.settle(), this::warmCall);
            List<Latencies> reps = new ArrayList<>();
            for (int rep = 1; rep <= plan.repetitions(); rep++) {
                Latencies l = ClosedLoop.run(concurrency, plan.measure(), this::warmCall);
                Progress.say("warm: concurrency %d, repetition %d/%d: %s", concurrency, rep, plan.repetitions(), l);
                reps.add(l);
            }
            rows.add(Row.of("warm.c" + concurrency, "warm invoke, concurrency " + concurrency, CF, reps, null));
        }
        List<String> containers = Docker.containers("io.cloudfunc.manager=" + options.node(), "io.cloudfunc.function=" + ECHO);
        warmContainerMiB = Docker.memoryMiB(containers);
        Progress.say("warm: %d warm containers of the echo function, %s MiB each", containers.size(), warmContainerMiB);
        return new Section("warm", "1. Warm synchronous invoke through the HTTP API",
                "Python echo function, `POST /functions/echo/invoke` through the gateway with keep-alive connections. "
                        + "Closed loop: each of N callers sends its next call when the previous one answered, for "
                        + plan.measure().toSeconds() + " s per repetition after a " + plan.jitWarmup().toSeconds()
                        + " s JIT warm-up. Latency per call from send to complete answer; median of the repetitions, "
                        + "range in brackets.", rows);
    }

    // 2. maximum sustained throughput: open-loop sweep of arrival rates

    Section throughput() throws Exception {
        if (!loadRan) {
            Progress.say("throughput: JIT warm-up, %ds", plan.jitWarmup().toSeconds());
            ClosedLoop.run(8, plan.jitWarmup(), this::warmCall);
            loadRan = true;
        }
        List<Row> rows = new ArrayList<>();
        double best = 0;
        for (double rate : plan.rates()) {
            Latencies l = OpenLoop.run(rate, plan.rateStep(), 1_024, this::warmCallAsync);
            boolean ok = l.errors() == 0 && l.p99Ms() <= plan.p99LimitMs() && l.throughput() >= 0.9 * rate;
            Progress.say("throughput: offered %,.0f/s: %s -> %s", rate, l, ok ? "sustained" : "over the limit");
            sweep.add(new double[] {rate, Double.isFinite(l.p99Ms()) ? l.p99Ms() : 100_000});
            rows.add(Row.of("throughput.rate" + (long) rate, String.format("offered %,.0f/s", rate), CF, List.of(l),
                    ok ? "sustained" : "p99 over " + Markdown.number(plan.p99LimitMs()) + " ms, errors or falling behind")
                    .withValues(Row.figures("offeredRate", rate), ok ? "sustained" : "over the limit"));
            if (!ok) {
                break;
            }
            best = rate;
        }
        if (best == 0) {
            rows.add(Row.values("throughput.max", "highest sustained rate", CF, Row.figures("sustainedRate", 0.0),
                    "even the lowest offered rate broke the p99 limit"));
        } else {
            List<Latencies> reps = new ArrayList<>();
            for (int rep = 1; rep <= plan.repetitions(); rep++) {
                Latencies l = OpenLoop.run(best, plan.measure(), 1_024, this::warmCallAsync);
                Progress.say("throughput: confirming %,.0f/s, repetition %d/%d: %s", best, rep, plan.repetitions(), l);
                reps.add(l);
            }
            rows.add(Row.of("throughput.max", String.format("highest sustained rate, %,.0f/s offered", best), CF, reps, null)
                    .withValues(Row.figures("sustainedRate", best), null));
        }
        return new Section("throughput", "2. Maximum sustained warm throughput",
                "Open loop: calls are sent at a fixed arrival rate whatever the platform does, and each call's latency is "
                        + "counted from the moment it was meant to be sent (no coordinated omission). The rate steps up ("
                        + plan.rateStep().toSeconds() + " s per step) until p99 passes " + Markdown.number(plan.p99LimitMs())
                        + " ms, a call fails or the platform falls 10 % behind; the last rate that held is then run again "
                        + plan.repetitions() + " times. Steps are coarse, so the true limit lies between the last "
                        + "sustained rate and the next.", rows);
    }

    // CPU per warm call: the services, RabbitMQ and PostgreSQL, from /proc, during a closed loop

    static final int CPU_CONCURRENCY = 16;
    /** the brief's order of the split; any other service follows */
    private static final List<String> CPU_ORDER =
            List.of("api-gateway", "scheduler", "container-manager", "function-registry", "rabbitmq", "postgresql");

    Section cpu() throws Exception {
        String what = "CPU per warm call, concurrency " + CPU_CONCURRENCY;
        List<ProcessCpu.Group> groups = new ArrayList<>();
        options.services().forEach((name, pid) -> groups.add(ProcessCpu.Group.pids(name, java.util.Set.of(pid))));
        groups.add(options.rabbitmqPid() != null
                ? ProcessCpu.Group.pids("rabbitmq", java.util.Set.of(options.rabbitmqPid()))
                : ProcessCpu.Group.comm("rabbitmq", "beam.smp"));
        groups.add(ProcessCpu.Group.comm("postgresql", "postgres"));
        groups.sort(java.util.Comparator.comparingInt(g -> {
            int i = CPU_ORDER.indexOf(g.name());
            return i < 0 ? CPU_ORDER.size() : i;
        }));
        ProcessCpu cpu = new ProcessCpu(java.nio.file.Path.of("/proc"), groups);
        if (!loadRan) {
            Progress.say("cpu: JIT warm-up, %ds", plan.jitWarmup().toSeconds());
            ClosedLoop.run(8, plan.jitWarmup(), this::warmCall);
            loadRan = true;
        }
        ClosedLoop.run(CPU_CONCURRENCY, plan.settle(), this::warmCall);
        Map<String, Long> ticks = new LinkedHashMap<>();
        groups.forEach(g -> ticks.put(g.name(), 0L));
        long calls = 0, errors = 0;
        List<Double> perRepetition = new ArrayList<>();
        for (int rep = 1; rep <= plan.repetitions(); rep++) {
            ProcessCpu.Snapshot start = cpu.snapshot();
            Latencies l = ClosedLoop.run(CPU_CONCURRENCY, plan.measure(), this::warmCall);
            Map<String, Long> delta = ProcessCpu.delta(start, cpu.snapshot());
            delta.forEach((group, t) -> ticks.merge(group, t, Long::sum));
            long repTicks = delta.values().stream().mapToLong(Long::longValue).sum();
            double ms = ProcessCpu.msPerCall(repTicks, options.clockTicks(), l.count());
            perRepetition.add(ms);
            calls += l.count();
            errors += l.errors();
            Progress.say("cpu: repetition %d/%d: %s; CPU %s ms per call, ticks %s", rep, plan.repetitions(), l,
                    Markdown.number(ms), delta);
        }
        List<Row> rows = new ArrayList<>();
        String how = "CPU time of each group's processes (utime + stime from /proc/<pid>/stat) over the warm calls "
                + "that succeeded in the same window";
        if (calls == 0) {
            rows.add(Row.notMeasured("cpu.warm", what, CF, "no call succeeded (" + errors + " failed)"));
        } else {
            long total = ticks.values().stream().mapToLong(Long::longValue).sum();
            Map<String, Double> values = new LinkedHashMap<>();
            values.put("totalMs", ProcessCpu.msPerCall(total, options.clockTicks(), calls));
            for (var group : ticks.entrySet()) {
                values.put(camel(group.getKey()) + "Ms", ProcessCpu.msPerCall(group.getValue(), options.clockTicks(), calls));
            }
            Spread range = Spread.of(perRepetition.stream().filter(Double::isFinite).toList());
            if (range != null && perRepetition.size() > 1) {
                values.put("lowestRepetitionMs", range.min());
                values.put("highestRepetitionMs", range.max());
            }
            values.put("calls", (double) calls);
            values.put("failedCalls", (double) errors);
            rows.add(Row.values("cpu.warm", what, CF, values,
                    "services + RabbitMQ + PostgreSQL; function containers, Docker and the load generator not counted"));
        }
        return new Section("cpu", "CPU per warm call",
                "Closed loop of the Python echo at concurrency " + CPU_CONCURRENCY + ", " + plan.repetitions()
                        + " × " + plan.measure().toSeconds() + " s after the warm-up. " + how + ": the four service "
                        + "JVMs, the RabbitMQ server (`beam.smp`, the whole node) and every `postgres` process of the "
                        + "cluster, summed over the repetitions and divided by their calls. The function containers, "
                        + "Docker and the load generator are not counted; /proc counts in clock ticks of "
                        + Markdown.number(1_000.0 / options.clockTicks()) + " ms.", rows);
    }

    /** {@code api-gateway} to {@code apiGateway}. */
    static String camel(String name) {
        var out = new StringBuilder();
        boolean upper = false;
        for (char c : name.toCharArray()) {
            if (c == '-' || c == '_' || c == ' ') {
                upper = out.length() > 0;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    private CompletableFuture<Boolean> warmCallAsync() {
        return gateway.sendAsync(warmCall).thenApply(Gateway.Answer::ok);
    }

    // 3. cold starts: a new container, and a pre-warmed one where the platform has a pool

    Section cold() throws Exception {
        Map<String, List<Double>> byStart = new LinkedHashMap<>();
        String failure = null;
        List<String> deployed = new ArrayList<>();
        for (int i = 1; i <= plan.coldCalls(); i++) {
            String name = "cold-" + i;
            // every other function names the default OCI runtime (runc) explicitly: the platform never gives such a
            // function a pre-warmed container, so both kinds of cold start are measured in one run
            String notDeployed = deployPythonEcho(name, i % 2 == 0 ? "runc" : null);
            if (notDeployed != null) {
                failure = notDeployed;
                break;
            }
            deployed.add(name);
            long t0 = System.nanoTime();
            Gateway.Answer answer = gateway.send(gateway.invoke(name, EVENT, false));
            double ms = (System.nanoTime() - t0) / 1e6;
            if (!answer.ok()) {
                failure = "the first call answered " + answer.describe();
                continue;
            }
            String start = answer.startType() == null ? "(no X-CloudFunc-Start header)" : answer.startType();
            byStart.computeIfAbsent(start, k -> new ArrayList<>()).add(ms);
            Progress.say("cold: call %d/%d: %.1f ms, X-CloudFunc-Start: %s", i, plan.coldCalls(), ms, start);
            Thread.sleep(plan.coldPause().toMillis());
        }
        for (String name : deployed) {
            gateway.delete(name);
        }
        String seen = byStart.entrySet().stream().map(e -> e.getKey() + " ×" + e.getValue().size())
                .reduce((a, b) -> a + ", " + b).orElse("nothing");
        List<Row> rows = new ArrayList<>();
        rows.add(startRow("cold.new", "cold start, new container", byStart.get("cold"),
                failure != null && !byStart.containsKey("cold") ? failure
                        : "no first call answered X-CloudFunc-Start: cold (seen: " + seen + ")"));
        rows.add(startRow("cold.prewarmed", "cold start, pre-warmed container", byStart.get("prewarmed"),
                failure != null && !byStart.containsKey("prewarmed") && byStart.isEmpty() ? failure
                        : "no first call answered X-CloudFunc-Start: prewarmed, so the platform has no pre-warmed "
                        + "pool yet (seen: " + seen + ")"));
        return new Section("cold", "3. Cold start",
                "Each call is the first call of a freshly deployed Python echo function (" + plan.coldCalls()
                        + " functions, one call each, every other one deployed with `ociRuntime: runc` so that it "
                        + "cannot take a pre-warmed container, " + plan.coldPause().toMillis() + " ms apart so that "
                        + "each one runs alone, not beside the pool refill and container rename the one before "
                        + "started, after the warm scenarios so the services' JIT is warm). Wall time of `POST /invoke` as the client sees it, "
                        + "split by the `X-CloudFunc-Start` header the platform answered: `cold` (new container) or "
                        + "`prewarmed` (a generic container from the pool took the code).", rows);
    }

    private static Row startRow(String key, String what, List<Double> samples, String reasonIfNone) {
        if (samples == null || samples.isEmpty()) {
            return Row.notMeasured(key, what, CF, reasonIfNone);
        }
        double min = samples.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        return Row.of(key, what, CF, List.of(Latencies.ofMillis(samples, 0)), "one call per function; min "
                + Markdown.number(min) + " ms");
    }

    // 4. async: acceptance rate and time to completion

    Section async() throws Exception {
        HttpRequest asyncCall = gateway.invoke(ECHO, EVENT, true);
        Gateway.Answer probe = gateway.send(asyncCall);
        if (probe.status() != 202 || probe.location() == null) {
            String reason = "`Prefer: respond-async` answered " + probe.describe().replaceAll("\\s+\\{.*", "")
                    + (probe.location() == null ? " without a Location header" : "")
                    + " (no async invocation in this build)";
            return new Section("async", "4. Async invocation", "", List.of(
                    Row.notMeasured("async.accept", "async acceptance (202 per second)", CF, reason),
                    Row.notMeasured("async.completion", "async time to completion", CF, reason)));
        }
        List<Latencies> accepted = new ArrayList<>();
        AtomicReference<String> lastLocation = new AtomicReference<>(probe.location());
        double drainSeconds = Double.NaN;
        for (int rep = 1; rep <= plan.repetitions(); rep++) {
            Latencies l = ClosedLoop.run(plan.asyncConcurrency(), plan.asyncMeasure(), () -> {
                Gateway.Answer a = gateway.send(asyncCall);
                if (a.status() == 202 && a.location() != null) {
                    lastLocation.set(a.location());
                    return true;
                }
                return false;
            });
            Progress.say("async: acceptance, repetition %d/%d: %s", rep, plan.repetitions(), l);
            accepted.add(l);
            long t0 = System.nanoTime();
            String status = awaitFinal(lastLocation.get(), Duration.ofSeconds(300));
            drainSeconds = (System.nanoTime() - t0) / 1e9;
            Progress.say("async: the last accepted call was %s %.1f s after the acceptance run ended", status, drainSeconds);
        }
        Histogram completion = Latencies.newHistogram();
        long failed = 0;
        long started = System.nanoTime();
        for (int i = 0; i < plan.asyncCompletionSamples(); i++) {
            long t0 = System.nanoTime();
            Gateway.Answer a = gateway.send(asyncCall);
            String status = a.status() == 202 ? awaitFinal(a.location(), Duration.ofSeconds(60)) : "HTTP " + a.status();
            if ("SUCCEEDED".equals(status)) {
                completion.recordValue(Latencies.clampMicros(System.nanoTime() - t0));
            } else {
                failed++;
            }
        }
        Latencies done = Latencies.of(completion, failed, (System.nanoTime() - started) / 1e9);
        Progress.say("async: time to completion, one call at a time: %s", done);
        return new Section("async", "4. Async invocation",
                "`POST /functions/echo/invoke` with `Prefer: respond-async`: acceptance is the rate of durable `202 "
                        + "Accepted` answers with " + plan.asyncConcurrency() + " callers in a closed loop (the latency "
                        + "columns are those of the 202s); time to completion is from sending one call to its record, "
                        + "polled every 2 ms at its `Location`, showing SUCCEEDED, one call at a time.", List.of(
                Row.of("async.accept", "async acceptance (202 per second)", CF, accepted, null)
                        .withValues(Row.figures("drainSecondsAfterRun", drainSeconds), null),
                Row.of("async.completion", "async time to completion, idle platform", CF, List.of(done), null)));
    }

    /** Polls an invocation until it reaches a final status; returns the status, or "TIMEOUT". */
    private String awaitFinal(String location, Duration limit) throws Exception {
        URI uri = gateway.base().resolve(location);
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            Gateway.Answer a = gateway.get(uri);
            var m = STATUS.matcher(a.body() == null ? "" : a.body());
            if (a.status() == 200 && m.find()) {
                String status = m.group(1);
                if (status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("TIMED_OUT")) {
                    return status;
                }
            }
            Thread.sleep(2);
        }
        return "TIMEOUT";
    }

    // 5. a burst of concurrent calls on a cold function

    Section burst() throws Exception {
        List<Latencies> reps = new ArrayList<>();
        List<Double> drains = new ArrayList<>(), containers = new ArrayList<>(), colds = new ArrayList<>();
        String failure = null;
        for (int rep = 1; rep <= plan.burstRepetitions(); rep++) {
            String name = "burst-" + rep;
            String notDeployed = deployPythonEcho(name);
            if (notDeployed != null) {
                failure = notDeployed;
                break;
            }
            HttpRequest call = gateway.invoke(name, EVENT, false);
            Histogram h = Latencies.newHistogram();
            long t0 = System.nanoTime();
            List<CompletableFuture<Gateway.Answer>> calls = new ArrayList<>();
            for (int i = 0; i < plan.burstSize(); i++) {
                calls.add(gateway.sendAsync(call).whenComplete((a, e) -> {
                    if (a != null && a.ok()) {
                        synchronized (h) {
                            h.recordValue(Latencies.clampMicros(System.nanoTime() - t0));
                        }
                    }
                }));
            }
            long failed = 0, cold = 0;
            for (var c : calls) {
                try {
                    Gateway.Answer a = c.get(180, TimeUnit.SECONDS);
                    if (!a.ok()) {
                        failed++;
                    } else if (!"warm".equals(a.startType())) {
                        cold++;
                    }
                } catch (Exception e) {
                    failed++;
                }
            }
            double drainMs = (System.nanoTime() - t0) / 1e6;
            int started = Docker.containers("io.cloudfunc.manager=" + options.node(), "io.cloudfunc.function=" + name).size();
            Latencies l;
            synchronized (h) {
                l = Latencies.of(h, failed, drainMs / 1e3);
            }
            Progress.say("burst: %d calls at once on cold %s: drained in %.0f ms, %d containers, %d non-warm answers; %s",
                    plan.burstSize(), name, drainMs, started, cold, l);
            reps.add(l);
            drains.add(drainMs);
            containers.add((double) started);
            colds.add((double) cold);
            gateway.delete(name);
        }
        String what = "burst of " + plan.burstSize() + " concurrent calls on a cold function";
        if (reps.isEmpty()) {
            return new Section("burst", "5. Burst on a cold function", "",
                    List.of(Row.notMeasured("burst", what, CF, failure)));
        }
        return new Section("burst", "5. Burst on a cold function",
                plan.burstSize() + " calls sent at once to a freshly deployed Python echo function (the function "
                        + "configuration's defaults). Latency of each call from the moment the "
                        + "burst was sent; time to drain is until the last answer; containers started are those of "
                        + "the function on the engine right after the burst.", List.of(
                Row.of("burst", what, CF, reps, null).withValues(Row.figures(
                        "drainMs", Spread.of(drains).median(),
                        "containersStarted", Spread.of(containers).median(),
                        "coldOrPrewarmedAnswers", Spread.of(colds).median()), null)));
    }

    // 6. memory

    Section memory(Map<String, Double> idle) throws Exception {
        if (!loadRan) {
            Progress.say("memory: no load ran yet; concurrency 8 for 10 s");
            ClosedLoop.run(8, Duration.ofSeconds(10), this::warmCall);
        }
        if (warmContainerMiB.isEmpty()) {
            warmContainerMiB = Docker.memoryMiB(
                    Docker.containers("io.cloudfunc.manager=" + options.node(), "io.cloudfunc.function=" + ECHO));
        }
        Map<String, Double> peak = memory.peak();
        List<Row> rows = new ArrayList<>();
        for (String service : idle.keySet()) {
            Map<String, Double> values = new LinkedHashMap<>();
            values.put("idleMiB", idle.get(service));
            if (peak.get(service) != null) {
                values.put("underLoadMiB", peak.get(service));
            }
            rows.add(Row.values("memory." + service, service + " RSS", CF, values, null));
        }
        rows.add(Row.values("memory.total", "the four services' RSS together", CF, Row.figures(
                "idleMiB", idle.values().stream().mapToDouble(Double::doubleValue).sum(),
                "underLoadMiB", memory.peakTotal()), "under load: highest sum seen at one instant"));
        Spread perContainer = Spread.of(warmContainerMiB);
        rows.add(perContainer == null
                ? Row.notMeasured("memory.container", "memory per warm container", CF, "no warm container found")
                : Row.values("memory.container", "memory per warm Python container", CF, Row.figures(
                        "medianMiB", perContainer.median(), "maxMiB", perContainer.max(),
                        "containers", (double) warmContainerMiB.size()), "docker stats (cgroup memory usage)"));
        return new Section("memory", "6. Memory",
                "Resident set size of each service process (JVM options in the environment line above): idle is after "
                        + "start-up and the first deploy, under load is the highest value sampled every 0.5 s during "
                        + "the whole run. Per warm container: `docker stats` memory usage of the echo function's "
                        + "containers after the warm scenario.", rows);
    }

    // 7. other runtimes

    Section runtimes() throws Exception {
        List<Row> rows = new ArrayList<>();
        for (String runtime : List.of("node", "java")) {
            TestFunctions.Packaged fn = runtime.equals("node") ? TestFunctions.node() : TestFunctions.java(options.work());
            rows.addAll(runtime(fn));
        }
        return new Section("runtimes", "7. Node and Java functions",
                "An echo function in each runtime (Node `index.js`, handler `index.handler`; Java `Echo.java` plus its "
                        + "class, handler `Echo::handle`), deployed as a zip with the default memory (128 MB, the pre-warm size). Cold: first call of fresh "
                        + "functions, every other one deployed with `ociRuntime: runc` so that it cannot take a pre-warmed "
                        + "container; warm: concurrency 1, closed loop.", rows);
    }

    private List<Row> runtime(TestFunctions.Packaged fn) throws Exception {
        String rt = fn.runtime();
        String warmWhat = rt + " warm invoke, concurrency 1", coldWhat = rt + " cold start, new container";
        String prewarmedWhat = rt + " cold start, pre-warmed container";
        String name = rt + "-echo";
        Gateway.Answer deploy = gateway.deployZip(name, rt, fn.handler(), fn.zip(), LONG_IDLE_TTL_MS);
        if (deploy.status() / 100 != 2) {
            String reason = "deploy with runtime " + rt + " answered " + deploy.describe();
            Progress.say("runtimes: %s not measured: %s", rt, reason);
            return List.of(Row.notMeasured(rt + ".warm", warmWhat, CF, reason), Row.notMeasured(rt + ".cold", coldWhat, CF, reason),
                    Row.notMeasured(rt + ".prewarmed", prewarmedWhat, CF, reason));
        }
        HttpRequest call = gateway.invoke(name, EVENT, false);
        long t0 = System.nanoTime();
        Gateway.Answer first = gateway.send(call);
        List<Double> cold = new ArrayList<>();
        if (!first.ok()) {
            String reason = "the first call answered " + first.describe();
            Progress.say("runtimes: %s not measured: %s", rt, reason);
            gateway.delete(name);
            return List.of(Row.notMeasured(rt + ".warm", warmWhat, CF, reason), Row.notMeasured(rt + ".cold", coldWhat, CF, reason),
                    Row.notMeasured(rt + ".prewarmed", prewarmedWhat, CF, reason));
        }
        List<Double> prewarmed = new ArrayList<>();
        (("prewarmed".equals(first.startType())) ? prewarmed : cold).add((System.nanoTime() - t0) / 1e6);
        ClosedLoop.run(1, plan.settle(), () -> gateway.send(call).ok());
        List<Latencies> reps = new ArrayList<>();
        for (int rep = 1; rep <= plan.repetitions(); rep++) {
            Latencies l = ClosedLoop.run(1, plan.runtimeWarmMeasure(), () -> gateway.send(call).ok());
            Progress.say("runtimes: %s warm, repetition %d/%d: %s", rt, rep, plan.repetitions(), l);
            reps.add(l);
        }
        gateway.delete(name);
        for (int i = 2; i <= plan.runtimeColdCalls(); i++) {
            String coldName = rt + "-cold-" + i;
            // every other one names the default OCI runtime: it never takes a pre-warmed container
            if (gateway.deployZip(coldName, rt, fn.handler(), fn.zip(), 60_000, i % 2 == 0 ? "runc" : null)
                    .status() / 100 == 2) {
                long c0 = System.nanoTime();
                Gateway.Answer a = gateway.send(gateway.invoke(coldName, EVENT, false));
                if (a.ok() && "cold".equals(a.startType())) {
                    cold.add((System.nanoTime() - c0) / 1e6);
                } else if (a.ok() && "prewarmed".equals(a.startType())) {
                    prewarmed.add((System.nanoTime() - c0) / 1e6);
                }
                gateway.delete(coldName);
                Thread.sleep(plan.coldPause().toMillis());
            }
        }
        Progress.say("runtimes: %s cold starts: new container %s ms, pre-warmed %s ms", rt, cold, prewarmed);
        return List.of(Row.of(rt + ".warm", warmWhat, CF, reps, null),
                startRow(rt + ".cold", coldWhat, cold, "no call answered X-CloudFunc-Start: cold"),
                startRow(rt + ".prewarmed", prewarmedWhat, prewarmed,
                        "no call answered X-CloudFunc-Start: prewarmed"));
    }

    // 8. the command-line client: wall time of whole `cloudfunc` commands, JVM start included

    Section cli() throws Exception {
        String title = "8. The command-line client";
        if (options.cli() == null) {
            return new Section("cli", title, "", List.of(
                    Row.notMeasured("cli.list", "`cloudfunc list`", CF, "no --cli launcher given"),
                    Row.notMeasured("cli.invoke", "`cloudfunc invoke`", CF, "no --cli launcher given")));
        }
        Map<String, Path> launchers = new LinkedHashMap<>();
        launchers.put(CF, options.cli());
        if (options.cliBaseline() != null) {
            launchers.put("CLI before", options.cliBaseline());
        }
        Map<String, String[]> commands = new LinkedHashMap<>();
        commands.put("list", new String[] {"list"});
        commands.put("invoke", new String[] {"invoke", ECHO, "-d", EVENT});
        // samples per launcher and command; the launchers alternate, so that both see the same machine
        Map<String, List<Double>> samples = new LinkedHashMap<>();
        Map<String, Integer> failures = new LinkedHashMap<>();
        for (int run = 0; run <= plan.cliRuns(); run++) {
            for (var launcher : launchers.entrySet()) {
                for (var command : commands.entrySet()) {
                    String key = launcher.getKey() + "/" + command.getKey();
                    double ms = timeCli(launcher.getValue(), command.getValue());
                    if (run == 0) {
                        continue; // untimed: the first run reads the jar and the cache from disk
                    }
                    if (Double.isNaN(ms)) {
                        failures.merge(key, 1, Integer::sum);
                    } else {
                        samples.computeIfAbsent(key, k -> new ArrayList<>()).add(ms);
                    }
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (String system : launchers.keySet()) {
            for (String command : commands.keySet()) {
                String key = system + "/" + command;
                List<Double> timed = samples.getOrDefault(key, List.of());
                Progress.say("cli: %s %s: %s ms", system, command, timed.stream().map(Markdown::number).toList());
                String rowKey = "cli." + command + (system.equals(CF) ? "" : ".before");
                String what = "`cloudfunc " + String.join(" ", commands.get(command)).replace(EVENT, "'" + EVENT + "'")
                        + "`";
                rows.add(timed.isEmpty()
                        ? Row.notMeasured(rowKey, what, system, failures.getOrDefault(key, 0) + " runs failed")
                        : samplesRow(rowKey, what, system, timed, timed.size() + failures.getOrDefault(key, 0),
                                system.equals(CF) ? "this build" : options.cliBaseline().toString()));
            }
        }
        return new Section("cli", title,
                "Wall time of whole `cloudfunc` commands, from starting the launcher to its exit (JVM start, "
                        + "the request to the gateway and printing), " + plan.cliRuns() + " runs each after one "
                        + "untimed run; the median is the figure. `invoke` calls the warm echo function."
                        + (launchers.size() > 1 ? " \"CLI before\" is another build of the launcher, run in "
                        + "alternation with this one." : ""), rows);
    }

    /** Milliseconds one run of the launcher took, or NaN when it failed. */
    private double timeCli(Path launcher, String[] args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("CLOUDFUNC_URL", options.gateway().toString());
        builder.environment().put("CLOUDFUNC_CONFIG", options.work().resolve("cli-config.json").toString());
        if (options.apiKey() != null) {
            builder.environment().put("CLOUDFUNC_API_KEY", options.apiKey());
        } else {
            builder.environment().remove("CLOUDFUNC_API_KEY");
        }
        long t0 = System.nanoTime();
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return Double.NaN;
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        String text = new String(output, StandardCharsets.UTF_8);
        boolean ok = process.exitValue() == 0 && (!args[0].equals("invoke") || text.contains("Alice"));
        if (!ok) {
            Progress.say("cli: %s %s exited %d: %s", launcher, String.join(" ", args), process.exitValue(),
                    text.strip());
        }
        return ok ? ms : Double.NaN;
    }

    // the baselines: docker run per call, docker exec per call, and the floor

    Section baselines(String runLabel) throws Exception {
        byte[] event = EVENT.getBytes(StandardCharsets.UTF_8);
        // the Python base image bench/run's cf_ensure_base_images chose (a local build where no registry answers)
        String image = System.getenv().getOrDefault("PYTHON_BASE_IMAGE", "python:3.13-slim");
        List<Row> rows = new ArrayList<>();

        rows.add(guarded("baseline.floor", "round trip to a warm runtime over its unix socket", "floor", () -> {
            try (RuntimeFloor floor = RuntimeFloor.start("cloudfunc/runtime-python:latest", options.work(), runLabel,
                    TestFunctions.PYTHON_ECHO)) {
                floor.measure(Math.min(2_000, plan.floorCalls()), EVENT);
                List<Latencies> reps = new ArrayList<>();
                for (int rep = 1; rep <= plan.repetitions(); rep++) {
                    Latencies l = floor.measure(plan.floorCalls(), EVENT);
                    Progress.say("baseline floor: repetition %d/%d: %s", rep, plan.repetitions(), l);
                    reps.add(l);
                }
                return Row.of("baseline.floor", "round trip to a warm runtime over its unix socket", "floor", reps,
                        "no platform: the harness speaks the runtime contract to a container it started");
            }
        }));

        rows.add(guarded("baseline.dockerExec", "`docker exec -i` per call in a running container", "docker exec", () -> {
            String container = "cf-bench-exec-" + runLabel;
            Docker.run("rm", "-f", container);
            Docker.Result started = Docker.run("run", "-d", "--name", container, "--label", "io.cloudfunc.bench=" + runLabel,
                    "--network", "none", image, "sleep", "3600");
            if (started.exit() != 0) {
                throw new IllegalStateException("docker run " + image + " failed: " + started.output());
            }
            try {
                List<Double> samples = new ArrayList<>();
                for (int i = 0; i < plan.dockerExecCalls(); i++) {
                    long t0 = System.nanoTime();
                    Docker.Result r = Docker.run(Duration.ofSeconds(60), event, "exec", "-i", container,
                            "python3", "-c", TestFunctions.PYTHON_STDIN_ECHO);
                    if (r.exit() == 0 && r.output().contains("Alice")) {
                        samples.add((System.nanoTime() - t0) / 1e6);
                    }
                }
                Progress.say("baseline docker exec: %s ms", samples.stream().map(Markdown::number).toList());
                return samplesRow("baseline.dockerExec", "`docker exec -i` per call in a running container",
                        "docker exec", samples, plan.dockerExecCalls(), "seed 001's warm path as commonly built");
            } finally {
                Docker.run("rm", "-f", container);
            }
        }));

        rows.add(guarded("baseline.dockerRun", "`docker run --rm -i` per call, event on stdin", "docker run", () -> {
            List<Double> samples = new ArrayList<>();
            for (int i = 0; i < plan.dockerRunCalls(); i++) {
                long t0 = System.nanoTime();
                Docker.Result r = Docker.run(Duration.ofSeconds(60), event, "run", "--rm", "-i", "--network", "none",
                        "--label", "io.cloudfunc.bench=" + runLabel, image, "python3", "-c", TestFunctions.PYTHON_STDIN_ECHO);
                if (r.exit() == 0 && r.output().contains("Alice")) {
                    samples.add((System.nanoTime() - t0) / 1e6);
                }
            }
            Progress.say("baseline docker run: %s ms", samples.stream().map(Markdown::number).toList());
            return samplesRow("baseline.dockerRun", "`docker run --rm -i` per call, event on stdin", "docker run",
                    samples, plan.dockerRunCalls(), "seed 004's design: a new container for every call");
        }));
        return new Section("baselines", "Baselines (same machine, same run)",
                "What the designs CloudFunc replaces pay per call, and the floor under any platform: the same echo in "
                        + "Python, measured here from the harness's JVM. `docker run`/`docker exec` use the docker "
                        + "command-line client, as those designs do; the floor talks the runtime contract "
                        + "(docs/runtime-contract.md) directly to a runtime container started with the platform's "
                        + "isolation settings.", rows);
    }

    private static Row samplesRow(String key, String what, String system, List<Double> samples, int tried, String note) {
        return Row.of(key, what, system, List.of(Latencies.ofMillis(samples, tried - samples.size())), note);
    }

    interface RowSupplier {
        Row get() throws Exception;
    }

    static Row guarded(String key, String what, String system, RowSupplier supplier) {
        try {
            return supplier.get();
        } catch (Exception e) {
            Progress.say("%s not measured: %s", key, e);
            return Row.notMeasured(key, what, system, String.valueOf(e.getMessage()));
        }
    }
}
