package io.cloudfunc.containers.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import io.cloudfunc.containers.invocation.InvocationService;
import io.cloudfunc.containers.pool.Labels;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.StartType;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.InvokeFunction;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Abusive functions against the real Docker engine: each limit the platform promises is hit on purpose, and the
 * test checks that the function alone pays for it (its call fails cleanly, its container is replaced, the manager
 * and the host carry on). Calls go straight to {@link InvocationService}, the code path every message takes.
 * Limits are set smaller than their defaults here, which also shows they are configurable.
 */
@ExtendWith(IsolationIT.AfterManagerStopped.class) // declared first: runs after Spring closed the context
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class IsolationIT {

    static final ItInfrastructure INFRA = ItInfrastructure.start();
    static final String OUTBOUND_NETWORK = "cloudfunc-outbound-" + INFRA.suffix;
    static final int TMPFS_MB = 16;
    static final int MAX_LOG_BYTES = 16 * 1024;
    static final int MAX_RESULT_BYTES = 1024 * 1024;
    static final String MARK = "\n...[truncated]";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        INFRA.register(registry);
        registry.add("containers.limits.tmpfs-size", () -> TMPFS_MB + "MB");
        registry.add("containers.limits.max-log-size", () -> MAX_LOG_BYTES + "B");
        registry.add("containers.limits.max-result-size", () -> MAX_RESULT_BYTES + "B");
        registry.add("containers.isolation.outbound-network", () -> OUTBOUND_NETWORK);
    }

    /** The manager's own HTTP port: an internal API, bound to loopback (server.address). */
    @LocalServerPort
    int managerPort;
    @Autowired
    InvocationService invocations;
    @Autowired
    DockerClient docker;
    @Autowired
    JsonMapper json;
    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    private final String suffix = UUID.randomUUID().toString().substring(0, 6);

    /** Once the manager has stopped (and removed its containers): the test's network and infrastructure go. */
    static final class AfterManagerStopped implements AfterAllCallback {
        @Override
        public void afterAll(ExtensionContext context) throws Exception {
            INFRA.checkNoContainersLeftThenStop(() -> ItInfrastructure.run(Duration.ofSeconds(30), false, "docker",
                    "network", "rm", OUTBOUND_NETWORK));
        }
    }

    @Test
    void memoryHogFailsOutOfMemoryAndTheNextCallRunsInAFreshContainer() throws Exception {
        FunctionVersionView hog = deploy("hog", """
                def handler(event):
                    if not event["hog"]:
                        return "fine"
                    hoard = []
                    while True:
                        hoard.append(b"x" * (8 * 1024 * 1024))
                """, 10_000, 64);

        double before = limitHits("memory");
        InvocationCompleted failed = call(hog, "{\"hog\":true}");
        awaitNoContainer(hog);
        InvocationCompleted next = call(hog, "{\"hog\":false}");

        assertThat(failed.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(failed.errorKind()).isEqualTo(ErrorKind.FUNCTION);
        assertThat(failed.error().type()).isEqualTo("OutOfMemoryError");
        assertThat(failed.error().message()).contains("out of memory").contains("64 MB");
        assertThat(next.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(next.result().stringValue()).isEqualTo("fine");
        assertThat(next.startType()).as("a fresh container").isEqualTo(StartType.COLD);
        assertThat(limitHits("memory")).isGreaterThan(before);
    }

    @Test
    void forksStopAtThePidsLimit() throws Exception {
        FunctionVersionView forker = deploy("forker", """
                import os, signal, time
                def handler(event):
                    children, error = [], None
                    for _ in range(event["attempts"]):
                        try:
                            pid = os.fork()
                        except OSError as e:
                            error = e.errno
                            break
                        if pid == 0:
                            time.sleep(30)
                            os._exit(0)
                        children.append(pid)
                    for pid in children:
                        os.kill(pid, signal.SIGKILL)
                    for pid in children:
                        os.waitpid(pid, 0)
                    return {"forked": len(children), "errno": error}
                """, 20_000, 128);

        InvocationCompleted done = call(forker, "{\"attempts\":400}");

        assertThat(done.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(done.result().path("forked").intValue()).isPositive().isLessThan(128);
        assertThat(done.result().path("errno").intValue()).as("EAGAIN").isEqualTo(11);
    }

    @Test
    void processesACallLeftBehindAreEndedBeforeTheNextCallInTheSameContainer() throws Exception {
        FunctionVersionView leaver = deploy("leaver", """
                import os, subprocess, time
                def alive(pid):  # a killed orphan is a zombie until init reaps it
                    try:
                        with open("/proc/%d/stat" % pid) as f:
                            stat = f.read()
                    except OSError:
                        return False
                    return stat[stat.rindex(")") + 2] != "Z"
                def others():
                    return sorted(p for p in (int(d) for d in os.listdir("/proc") if d.isdigit())
                                  if p not in (1, os.getpid()) and alive(p))
                def handler(event):
                    if event.get("leave"):
                        for _ in range(5):
                            subprocess.Popen(["sleep", "300"])  # children never waited for
                        pid = os.fork()
                        if pid == 0:
                            if os.fork() == 0:
                                time.sleep(300)  # an orphan, adopted by the container's init
                            os._exit(0)
                        os.waitpid(pid, 0)
                    return {"others": others(), "pid": os.getpid()}
                """, 20_000, 128);

        InvocationCompleted left = call(leaver, "{\"leave\":true}");
        InvocationCompleted next = call(leaver, "{}");

        assertThat(left.status()).as(String.valueOf(left.error())).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(left.result().path("others").size()).as(left.result().toString()).isEqualTo(6);
        assertThat(next.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(next.result().path("pid").intValue()).as("the same warm runtime")
                .isEqualTo(left.result().path("pid").intValue());
        assertThat(next.startType()).isEqualTo(StartType.WARM);
        assertThat(next.result().path("others").size()).as(next.result().toString()).isZero();
    }

    @Test
    void processesANodeCallLeftBehindAreEndedBeforeTheNextCall() throws Exception {
        ItInfrastructure.ensureNodeImage();
        byte[] code = StubRegistry.zip(Map.of("index.js", """
                const { spawn } = require('child_process');
                const fs = require('fs');
                // live processes but init and the runtime: a killed child is a zombie until Node reaps it
                const alive = (p) => {
                  try {
                    const stat = fs.readFileSync('/proc/' + p + '/stat', 'utf8');
                    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
                  } catch (gone) {
                    return false;
                  }
                };
                const others = () => fs.readdirSync('/proc').filter((p) => /^[0-9]+$/.test(p)).map(Number)
                  .filter((p) => p !== 1 && p !== process.pid && alive(p));
                exports.handler = async (event) => {
                  if (event.leave) {
                    for (let i = 0; i < 3; i++) {
                      spawn('sleep', ['300'], { detached: true, stdio: 'ignore' }).unref();
                    }
                  }
                  return { others: others(), pid: process.pid };
                };
                """));
        FunctionVersionView leaver = INFRA.registry.deploy("node-leaver-" + suffix, 1, "node", "index.handler", code,
                20_000, 128, 60_000, Map.of());

        InvocationCompleted left = call(leaver, "{\"leave\":true}");
        InvocationCompleted next = call(leaver, "{}");

        assertThat(left.status()).as(String.valueOf(left.error())).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(left.result().path("others").size()).as(left.result().toString()).isEqualTo(3);
        assertThat(next.result().path("pid").intValue()).as("the same warm runtime")
                .isEqualTo(left.result().path("pid").intValue());
        assertThat(next.result().path("others").size()).as(next.result().toString()).isZero();
    }

    @Test
    void forkBombTimesOutInsideItsContainerWhichIsReplaced() throws Exception {
        FunctionVersionView bomb = deploy("bomb", """
                import os
                def handler(event):
                    while event["bomb"]:
                        try:
                            os.fork()
                        except OSError:
                            pass
                    return "calm"
                """, 3_000, 128);

        InvocationCompleted exploded = call(bomb, "{\"bomb\":true}");
        awaitNoContainer(bomb);
        InvocationCompleted next = call(bomb, "{\"bomb\":false}");

        assertThat(exploded.status()).isEqualTo(InvocationStatus.TIMED_OUT);
        assertThat(exploded.error().type()).isEqualTo("TimeoutError");
        assertThat(next.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(next.startType()).isEqualTo(StartType.COLD);
        // the host can still start processes
        assertThat(ItInfrastructure.run(Duration.ofSeconds(10), "true").exitCode()).isZero();
    }

    @Test
    void infiniteLoopTimesOutAndItsContainerIsKilledAndReplaced() throws Exception {
        FunctionVersionView spin = deploy("spin", """
                def handler(event):
                    while event["spin"]:
                        pass
                    return "done"
                """, 1_500, 128);

        InvocationCompleted timedOut = call(spin, "{\"spin\":true}");
        awaitNoContainer(spin); // killed with the call
        InvocationCompleted next = call(spin, "{\"spin\":false}");

        assertThat(timedOut.status()).isEqualTo(InvocationStatus.TIMED_OUT);
        assertThat(timedOut.errorKind()).isEqualTo(ErrorKind.FUNCTION);
        assertThat(timedOut.error().message()).contains("1500 ms");
        assertThat(next.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(next.startType()).isEqualTo(StartType.COLD);
    }

    @Test
    void resultOverTheCapFailsTheCallAndTheContainerStaysWarm() throws Exception {
        FunctionVersionView big = deploy("big", """
                def handler(event):
                    print("made", event["bytes"], "bytes")
                    return "x" * event["bytes"]
                """, 10_000, 128);

        double before = limitHits("result-size");
        InvocationCompleted tooBig = call(big, "{\"bytes\":" + (2 * MAX_RESULT_BYTES) + "}");
        InvocationCompleted small = call(big, "{\"bytes\":3}");

        assertThat(tooBig.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(tooBig.errorKind()).isEqualTo(ErrorKind.FUNCTION);
        assertThat(tooBig.error().type()).isEqualTo("ResultTooLarge");
        assertThat(tooBig.error().message()).contains("limited to " + MAX_RESULT_BYTES + " bytes");
        assertThat(tooBig.logs()).isEqualTo("made " + (2 * MAX_RESULT_BYTES) + " bytes\n");
        assertThat(small.result().stringValue()).isEqualTo("xxx");
        assertThat(small.startType()).isEqualTo(StartType.WARM);
        assertThat(limitHits("result-size")).isGreaterThan(before);
    }

    @Test
    void logsOverTheCapAreCutAndMarkedOnce() throws Exception {
        FunctionVersionView loud = deploy("loud", """
                def handler(event):
                    for i in range(event["lines"]):
                        print(f"line {i:07d} " + "y" * 50)
                    return "ok"
                """, 10_000, 128);

        InvocationCompleted overManagerCap = call(loud, "{\"lines\":1000}"); // 63 KB: under the runtime's own cap
        InvocationCompleted overBothCaps = call(loud, "{\"lines\":20000}"); // 1.2 MB

        for (InvocationCompleted done : List.of(overManagerCap, overBothCaps)) {
            assertThat(done.status()).isEqualTo(InvocationStatus.SUCCEEDED);
            assertThat(done.logs()).startsWith("line 0000000 y").endsWith(MARK);
            assertThat(done.logs().getBytes(StandardCharsets.UTF_8).length)
                    .isLessThanOrEqualTo(MAX_LOG_BYTES + MARK.length());
            assertThat(done.logs().indexOf("[truncated]")).isEqualTo(done.logs().lastIndexOf("[truncated]"));
        }
    }

    @Test
    void rootIsReadOnlyAndTmpIsCapped() throws Exception {
        FunctionVersionView writer = deploy("writer", """
                import errno, os
                def handler(event):
                    seen = {}
                    try:
                        with open("/probe", "w") as f:
                            f.write("x")
                        seen["root"] = "written"
                    except OSError as e:
                        seen["root"] = errno.errorcode[e.errno]
                    written, chunk = 0, b"z" * (1024 * 1024)
                    try:
                        with open("/tmp/fill", "wb") as f:
                            for _ in range(event["mb"]):
                                f.write(chunk)
                                f.flush()
                                written += len(chunk)
                        seen["tmp"] = "written"
                    except OSError as e:
                        seen["tmp"] = errno.errorcode[e.errno]
                    finally:
                        if os.path.exists("/tmp/fill"):
                            os.remove("/tmp/fill")
                    st = os.statvfs("/tmp")
                    seen["written"], seen["tmpSize"] = written, st.f_blocks * st.f_frsize
                    return seen
                """, 10_000, 128);

        InvocationCompleted done = call(writer, "{\"mb\":" + (2 * TMPFS_MB) + "}");

        JsonNode seen = done.result();
        assertThat(done.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(seen.path("root").stringValue()).isEqualTo("EROFS");
        assertThat(seen.path("tmp").stringValue()).isEqualTo("ENOSPC");
        assertThat(seen.path("tmpSize").longValue()).isEqualTo(TMPFS_MB * 1024L * 1024L);
        assertThat(seen.path("written").longValue()).isLessThanOrEqualTo(TMPFS_MB * 1024L * 1024L);
    }

    @Test
    void functionRunsUnprivilegedUnderSeccomp() throws Exception {
        FunctionVersionView probe = deploy("privs", """
                import errno, os, subprocess
                def handler(event):
                    status = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines())
                    try:
                        os.setuid(0)
                        setuid = "became root"
                    except OSError as e:
                        setuid = errno.errorcode[e.errno]
                    return {"idU": subprocess.run(["id", "-u"], capture_output=True, text=True).stdout.strip(),
                            "setuid": setuid,
                            **{k: status[k].strip() for k in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb",
                                                             "NoNewPrivs", "Seccomp")}}
                """, 5_000, 128);

        InvocationCompleted done = call(probe, "{}");

        JsonNode seen = done.result();
        assertThat(done.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(seen.path("idU").stringValue()).isEqualTo("10001");
        assertThat(seen.path("setuid").stringValue()).isEqualTo("EPERM");
        for (String set : List.of("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")) {
            assertThat(seen.path(set).stringValue()).as(set).isEqualTo("0000000000000000");
        }
        assertThat(seen.path("NoNewPrivs").stringValue()).isEqualTo("1");
        assertThat(seen.path("Seccomp").stringValue()).as("seccomp filter mode").isEqualTo("2");
    }

    @Test
    void defaultFunctionCannotConnectAnywhere() throws Exception {
        FunctionVersionView probe = deploy("offline", CONNECT_PROBE, 30_000, 128);
        String bridgeGateway = ItInfrastructure.run(Duration.ofSeconds(10), "sh", "-c",
                "ip -4 -o addr show docker0 | awk '{print $4}' | cut -d/ -f1").output().trim();
        assertThat(bridgeGateway).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");

        // With no network there is no route: connect() fails at once, no packet leaves the container.
        InvocationCompleted done = call(probe, json.writeValueAsString(Map.of("timeout", 5, "targets", List.of(
                target("loopbackPostgres", "127.0.0.1", 5432),
                target("hostPostgres", bridgeGateway, 5432),
                target("publicIp", "1.1.1.1", 443)))));

        JsonNode seen = done.result();
        assertThat(done.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(seen.path("loopbackPostgres").stringValue()).as("only the container's own loopback")
                .isEqualTo("ECONNREFUSED");
        assertThat(seen.path("hostPostgres").stringValue()).isEqualTo("ENETUNREACH");
        assertThat(seen.path("publicIp").stringValue()).isEqualTo("ENETUNREACH");
        assertThat(seen.path("interfaces").toString()).isEqualTo("[\"lo\"]");
    }

    @Test
    void outboundFunctionReachesTheHostOnItsOwnNetworkButNoOtherFunction() throws Exception {
        FunctionVersionView peer = deploy("peer", """
                import socket, threading
                server = None
                def serve():
                    while True:
                        connection, _ = server.accept()
                        connection.sendall(b"peer")
                        connection.close()
                def handler(event):
                    global server
                    if server is None:
                        server = socket.socket()
                        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                        server.bind(("0.0.0.0", 8080))
                        server.listen()
                        threading.Thread(target=serve, daemon=True).start()
                    return "listening"
                """, 5_000, 128, "outbound", null);
        FunctionVersionView caller = deploy("caller", CONNECT_PROBE, 30_000, 128, "outbound", null);

        assertThat(call(peer, "{}").result().stringValue()).isEqualTo("listening");
        InspectContainerResponse peerContainer = docker.inspectContainerCmd(only(peer)).exec();
        String peerIp = peerContainer.getNetworkSettings().getNetworks().get(OUTBOUND_NETWORK).getIpAddress();
        String gateway = ItInfrastructure.run(Duration.ofSeconds(10), "docker", "network", "inspect",
                OUTBOUND_NETWORK, "--format", "{{(index .IPAM.Config 0).Gateway}}").output().trim();
        String icc = ItInfrastructure.run(Duration.ofSeconds(10), "docker", "network", "inspect", OUTBOUND_NETWORK,
                "--format", "{{index .Options \"com.docker.network.bridge.enable_icc\"}}").output().trim();
        assertThat(banner(peerIp, 8080)).as("the peer listens (the host reaches it)").isEqualTo("peer");

        JsonNode seen;
        try (ServerSocket host = new ServerSocket()) {
            host.bind(new InetSocketAddress(InetAddress.getByName(gateway), 0));
            Thread.ofVirtual().start(() -> greetUntilClosed(host));
            InvocationCompleted done = call(caller, json.writeValueAsString(Map.of("timeout", 3, "targets", List.of(
                    target("host", gateway, host.getLocalPort()),
                    target("manager", gateway, managerPort),
                    target("otherFunction", peerIp, 8080)))));
            assertThat(done.status()).isEqualTo(InvocationStatus.SUCCEEDED);
            seen = done.result();
        }

        assertThat(peerContainer.getHostConfig().getNetworkMode()).isEqualTo(OUTBOUND_NETWORK);
        assertThat(icc).isEqualTo("false");
        assertThat(seen.path("interfaces").toString()).contains("\"eth0\"").contains("\"lo\"");
        assertThat(seen.path("defaultRoute").booleanValue()).isTrue();
        assertThat(seen.path("host").stringValue()).isEqualTo("connected:host");
        assertThat(seen.path("manager").stringValue()).as("the platform's internal services listen on loopback only")
                .isEqualTo("ECONNREFUSED");
        assertThat(seen.path("otherFunction").stringValue()).as("inter-container traffic is dropped")
                .doesNotStartWith("connected");
    }

    @Test
    void ociRuntimeTheEngineLacksFailsTheCallNamingTheInstalledOnes() throws Exception {
        FunctionVersionView gvisor = deploy("gvisor", "def handler(event):\n    return 1\n", 5_000, 128, "none",
                "runsc");

        InvocationCompleted failed = call(gvisor, "{}");

        assertThat(failed.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(failed.errorKind()).isEqualTo(ErrorKind.PLATFORM);
        assertThat(failed.error().type()).isEqualTo("OciRuntimeUnavailable");
        assertThat(failed.error().message()).contains("'runsc'").contains("installed: ").contains("runc");
        assertThat(ItInfrastructure.containers(Map.of(Labels.FUNCTION, gvisor.functionName()))).isEmpty();
    }

    @Test
    void ociRuntimeNamedExplicitlyIsTheOneDockerRuns() throws Exception {
        FunctionVersionView runc = deploy("runc", "def handler(event):\n    return 1\n", 5_000, 128, "none", "runc");

        InvocationCompleted done = call(runc, "{}");

        assertThat(done.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(docker.inspectContainerCmd(only(runc)).exec().getHostConfig().getRuntime()).isEqualTo("runc");
    }

    @Test
    void aFunctionsCpuLimitIsItsContainersCfsQuotaAndHoldsItBack() throws Exception {
        // one second of wall time spent spinning: how much CPU time did it get?
        FunctionVersionView spinner = INFRA.registry.withCpuLimit(deploy("spinner", """
                import time
                def handler(event):
                    wall, cpu = time.monotonic(), time.process_time()
                    while time.monotonic() - wall < 1.0:
                        pass
                    return time.process_time() - cpu
                """, 10_000, 128), 100);
        FunctionVersionView unlimited = deploy("cpu-default", "def handler(event):\n    return 1\n", 5_000, 128);

        InvocationCompleted spun = call(spinner, "{}");
        InvocationCompleted plain = call(unlimited, "{}");

        assertThat(spun.status()).as(String.valueOf(spun.error())).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(plain.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        var limited = docker.inspectContainerCmd(only(spinner)).exec().getHostConfig();
        assertThat(limited.getCpuPeriod()).isEqualTo(100_000L);
        assertThat(limited.getCpuQuota()).isEqualTo(10_000L);
        var byDefault = docker.inspectContainerCmd(only(unlimited)).exec().getHostConfig();
        assertThat(byDefault.getCpuQuota()).as("containers.limits.cpus: 1.0").isEqualTo(100_000L);
        // a tenth of a CPU: about 0.1 s of CPU time in that second (an unlimited loop gets up to 1 s)
        assertThat(spun.result().asDouble()).isLessThan(0.3);
    }

    // --- helpers -------------------------------------------------------------------------------------------

    /** Tries each {@code targets} entry and names how it went: {@code connected:<banner>}, an errno, or timeout. */
    private static final String CONNECT_PROBE = """
            import errno, os, socket
            def attempt(target, timeout):
                s = socket.socket()
                s.settimeout(timeout)
                try:
                    s.connect((target["host"], target["port"]))
                    return "connected:" + s.recv(16).decode()
                except socket.timeout:
                    return "timeout"
                except OSError as e:
                    return errno.errorcode.get(e.errno, str(e.errno))
                finally:
                    s.close()
            def handler(event):
                seen = {t["name"]: attempt(t, event["timeout"]) for t in event["targets"]}
                seen["interfaces"] = sorted(os.listdir("/sys/class/net"))
                with open("/proc/net/route") as routes:
                    seen["defaultRoute"] = any(line.split()[1] == "00000000" for line in routes.readlines()[1:])
                return seen
            """;

    private double limitHits(String limit) {
        return meters.get("cloudfunc.limits.hit").tag("limit", limit).counter().count();
    }

    private static Map<String, Object> target(String name, String host, int port) {
        return Map.of("name", name, "host", host, "port", port);
    }

    private static void greetUntilClosed(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket client = server.accept(); OutputStream out = client.getOutputStream()) {
                out.write("host".getBytes(StandardCharsets.UTF_8));
            } catch (Exception e) {
                return; // closed by the test
            }
        }
    }

    private static String banner(String host, int port) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 3_000);
            socket.setSoTimeout(3_000);
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(4), StandardCharsets.UTF_8);
        }
    }

    private FunctionVersionView deploy(String name, String code, long timeoutMs, int memoryMb) throws Exception {
        return deploy(name, code, timeoutMs, memoryMb, "none", null);
    }

    private FunctionVersionView deploy(String name, String code, long timeoutMs, int memoryMb, String network,
                                       String ociRuntime) throws Exception {
        return INFRA.registry.deploy(name + "-" + suffix, 1, Map.of("function.py", code), timeoutMs, memoryMb,
                60_000, Map.of(), network, ociRuntime);
    }

    private InvocationCompleted call(FunctionVersionView function, String event) {
        return invocations.run(new InvokeFunction(UUID.randomUUID(), function.functionName(), function.version(),
                json.readTree(event), Instant.now(), function.codeSha256()));
    }

    private static String only(FunctionVersionView function) throws Exception {
        List<String> ids = ItInfrastructure.containers(Map.of(Labels.FUNCTION, function.functionName(),
                Labels.MANAGER, INFRA.node));
        assertThat(ids).hasSize(1);
        return ids.getFirst();
    }

    private static void awaitNoContainer(FunctionVersionView function) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> ItInfrastructure.containers(Map.of(Labels.FUNCTION, function.functionName(),
                        Labels.MANAGER, INFRA.node)).isEmpty());
    }
}
