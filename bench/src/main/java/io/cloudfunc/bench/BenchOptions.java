package io.cloudfunc.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The harness's command line, as bench/run passes it.
 *
 * @param gateway    the running platform's gateway
 * @param apiKey     sent as a bearer token on every call
 * @param node       the container-manager's node name (its containers' {@code io.cloudfunc.manager} label)
 * @param services   service name to process id, for the memory figures
 * @param results    folder for report.md, report.json and the charts
 * @param docs       docs/performance.md to rewrite between its markers, or null to leave it alone
 * @param docsImages folder for the charts docs/performance.md shows, or null
 * @param work       scratch folder (the floor baseline's socket lives there)
 * @param rabbitmqPid the RabbitMQ server's process id (its {@code beam.smp}), or null to find it by comm
 * @param clockTicks  clock ticks per second of /proc's CPU times ({@code getconf CLK_TCK})
 * @param cli         the {@code cloudfunc} launcher the cli scenario times (cli/target/cloudfunc), or null
 * @param cliBaseline another build of the launcher timed in alternation with {@code cli} (before/after), or null
 */
record BenchOptions(URI gateway, String apiKey, String node, Map<String, Long> services, Path results, Path docs,
                    Path docsImages, Path work, boolean smoke, Set<String> scenarios, Map<String, String> environment,
                    Long rabbitmqPid, long clockTicks, Path cli, Path cliBaseline) {

    static final List<String> ALL_SCENARIOS =
            List.of("warm", "throughput", "cpu", "cold", "async", "burst", "memory", "runtimes", "cli", "baselines");

    static BenchOptions parse(String[] args) {
        URI gateway = null;
        String apiKey = System.getenv("CLOUDFUNC_BOOTSTRAP_KEY");
        String node = null;
        Map<String, Long> services = new LinkedHashMap<>();
        Map<String, String> environment = new LinkedHashMap<>();
        Path results = null, docs = null, docsImages = null, work = Path.of(System.getProperty("java.io.tmpdir"));
        boolean smoke = false;
        Long rabbitmqPid = null;
        long clockTicks = 100;
        Path cli = null, cliBaseline = null;
        Set<String> scenarios = new LinkedHashSet<>(ALL_SCENARIOS);
        List<String> list = new ArrayList<>(List.of(args));
        for (int i = 0; i < list.size(); i++) {
            String arg = list.get(i);
            switch (arg) {
                case "--smoke" -> smoke = true;
                case "--gateway" -> gateway = URI.create(list.get(++i));
                case "--api-key" -> apiKey = list.get(++i);
                case "--node" -> node = list.get(++i);
                case "--service" -> {
                    String[] nameAndPid = list.get(++i).split("=", 2);
                    services.put(nameAndPid[0], Long.parseLong(nameAndPid[1]));
                }
                case "--env" -> {
                    String[] kv = list.get(++i).split("=", 2);
                    environment.put(kv[0], kv.length > 1 ? kv[1] : "");
                }
                case "--results" -> results = Path.of(list.get(++i));
                case "--docs" -> docs = Path.of(list.get(++i));
                case "--docs-images" -> docsImages = Path.of(list.get(++i));
                case "--work" -> work = Path.of(list.get(++i));
                case "--rabbitmq-pid" -> rabbitmqPid = Long.parseLong(list.get(++i).strip());
                case "--clock-ticks" -> clockTicks = Long.parseLong(list.get(++i).strip());
                case "--cli" -> cli = Path.of(list.get(++i));
                case "--cli-baseline" -> cliBaseline = Path.of(list.get(++i));
                case "--scenarios" -> {
                    scenarios = new LinkedHashSet<>();
                    for (String s : list.get(++i).split(",")) {
                        if (!ALL_SCENARIOS.contains(s.strip())) {
                            throw new IllegalArgumentException("unknown scenario '" + s + "'; known: " + ALL_SCENARIOS);
                        }
                        scenarios.add(s.strip());
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (gateway == null || node == null || results == null) {
            throw new IllegalArgumentException("--gateway, --node and --results are required");
        }
        return new BenchOptions(gateway, apiKey, node, services, results, docs, docsImages, work, smoke, scenarios,
                environment, rabbitmqPid, clockTicks, cli, cliBaseline);
    }

    boolean runs(String scenario) {
        return scenarios.contains(scenario);
    }
}
