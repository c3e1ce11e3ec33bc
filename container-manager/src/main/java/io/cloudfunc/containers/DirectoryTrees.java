package io.cloudfunc.containers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Directory trees the manager writes (containers' socket directories, unpacked code, builds) and removes. */
public final class DirectoryTrees {

    private static final Logger log = LoggerFactory.getLogger(DirectoryTrees.class);

    private DirectoryTrees() {
    }

    /**
     * Deletes {@code tree} and everything in it, deepest first, without following links; what cannot be deleted is
     * left and logged, never thrown (a leftover is cleaned up at the next start).
     */
    public static void delete(Path tree) {
        if (!Files.exists(tree, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(tree)) {
            paths.sorted(Comparator.comparingInt(Path::getNameCount).reversed()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    log.warn("Could not delete {}: {}", path, e.toString());
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.warn("Could not delete {}: {}", tree, e.toString());
        }
    }
}
