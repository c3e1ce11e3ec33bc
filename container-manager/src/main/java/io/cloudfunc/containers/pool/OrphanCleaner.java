package io.cloudfunc.containers.pool;

import io.cloudfunc.containers.docker.ContainerEngine;
import io.cloudfunc.containers.docker.ContainerEngine.ContainerSummary;
import io.cloudfunc.containers.docker.ContainerEngineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what a previous life of this manager left behind (it crashed, or was killed): containers labelled with
 * this manager's node name, and container directories under the socket root that no managed container uses.
 *
 * <p>Containers are matched on {@code io.cloudfunc.manager=<node>}, so managers sharing one Docker engine leave
 * each other's containers alone as long as each has its own {@code containers.node}. Directories are matched on
 * the {@code io.cloudfunc.key} label of every managed container, whichever manager owns it.
 */
final class OrphanCleaner {

    private static final Logger log = LoggerFactory.getLogger(OrphanCleaner.class);

    private final ContainerEngine engine;
    private final ContainerDirectories directories;
    private final String node;
    private final ExecutorService background;

    OrphanCleaner(ContainerEngine engine, ContainerDirectories directories, String node, ExecutorService background) {
        this.engine = engine;
        this.directories = directories;
        this.node = node;
        this.background = background;
    }

    void clean() {
        List<ContainerSummary> orphans;
        try {
            orphans = engine.list(Map.of(Labels.MANAGED, "true", Labels.MANAGER, node));
        } catch (ContainerEngineException e) {
            log.warn("Could not look for orphan containers: {}", e.getMessage());
            return;
        }
        List<Future<?>> removals = orphans.stream()
                .<Future<?>>map(orphan -> background.submit(() -> engine.remove(orphan.id())))
                .toList();
        int removed = 0;
        for (Future<?> removal : removals) {
            try {
                removal.get();
                removed++;
            } catch (Exception e) {
                log.warn("Could not remove an orphan container: {}", e.toString());
            }
        }
        int deleted = deleteUnusedDirectories();
        if (removed > 0 || deleted > 0) {
            log.info("Removed {} orphan containers of node '{}' and {} unused container directories", removed, node,
                    deleted);
        }
    }

    private int deleteUnusedDirectories() {
        Set<String> inUse;
        try {
            inUse = engine.list(Map.of(Labels.MANAGED, "true")).stream()
                    .map(c -> c.labels().get(Labels.KEY))
                    .filter(key -> key != null)
                    .collect(Collectors.toSet());
        } catch (ContainerEngineException e) {
            return 0;
        }
        List<Path> unused;
        try (Stream<Path> children = Files.list(directories.root())) {
            unused = children.filter(Files::isDirectory)
                    .filter(dir -> !inUse.contains(dir.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            log.warn("Could not list {}: {}", directories.root(), e.toString());
            return 0;
        }
        unused.forEach(directories::delete);
        return unused.size();
    }
}
