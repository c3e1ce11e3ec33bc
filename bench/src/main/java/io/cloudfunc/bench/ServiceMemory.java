package io.cloudfunc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resident set size of each service process (from /proc), sampled every half second while load runs: the
 * highest value of each service and the highest sum of all four at one instant.
 */
final class ServiceMemory implements AutoCloseable {

    private final Map<String, Long> pids;
    private final Map<String, Double> peak = new ConcurrentHashMap<>();
    private volatile double peakTotal;
    private volatile boolean running = true;
    private final Thread sampler;

    ServiceMemory(Map<String, Long> pids) {
        this.pids = pids;
        this.sampler = Thread.ofPlatform().daemon().name("rss-sampler").unstarted(this::sampleLoop);
    }

    /** One sample now, service name to MiB. */
    Map<String, Double> sample() {
        Map<String, Double> values = new LinkedHashMap<>();
        for (var service : pids.entrySet()) {
            Double mib = rssMiB(service.getValue());
            if (mib != null) {
                values.put(service.getKey(), mib);
            }
        }
        return values;
    }

    void startSampling() {
        sampler.start();
    }

    Map<String, Double> peak() {
        Map<String, Double> ordered = new LinkedHashMap<>();
        pids.keySet().forEach(name -> ordered.put(name, peak.get(name)));
        return ordered;
    }

    double peakTotal() {
        return peakTotal;
    }

    private void sampleLoop() {
        while (running) {
            Map<String, Double> now = sample();
            now.forEach((name, mib) -> peak.merge(name, mib, Math::max));
            double total = now.values().stream().mapToDouble(Double::doubleValue).sum();
            peakTotal = Math.max(peakTotal, total);
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    static Double rssMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException gone) {
            // the process has exited
        }
        return null;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
