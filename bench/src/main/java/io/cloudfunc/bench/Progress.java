package io.cloudfunc.bench;

/** Progress lines on standard output, each with the time since the harness started. */
final class Progress {

    private static final long START = System.nanoTime();

    private Progress() {
    }

    static void say(String format, Object... args) {
        long seconds = (System.nanoTime() - START) / 1_000_000_000L;
        System.out.printf("[bench %3d:%02d] %s%n", seconds / 60, seconds % 60, String.format(format, args));
        System.out.flush();
    }
}
