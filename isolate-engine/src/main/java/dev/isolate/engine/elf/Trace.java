package dev.isolate.engine.elf;

/**
 * Phase timings on stderr, for finding where a cold run spends its time: run with
 * {@code -Disolate.trace=true} (through {@code bin/isolate}: {@code ISOLATE_JAVA_OPTS=-Disolate.trace=true}).
 * Each line gives the phase, its duration and when it ended, counted from the JVM's start, so the gaps
 * between lines (JVM start-up, class loading, phases without a timer) show too. Off, it costs one
 * static boolean test per phase.
 */
public final class Trace {
    private static final boolean ON = Boolean.getBoolean("isolate.trace");
    /** The JVM's start on the {@code nanoTime} clock (only read when tracing: it loads java.management). */
    private static final long JVM_START = ON ? System.nanoTime()
            - java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000 : 0;

    private Trace() {}

    /** A start time for {@link #end}, or 0 when tracing is off. */
    public static long start() {
        return ON ? System.nanoTime() : 0;
    }

    public static void end(String phase, long start) {
        if (ON) {
            long now = System.nanoTime();
            System.err.printf("isolate.trace %-24s %7.1f ms  (ends %6.1f ms after JVM start)%n", phase, (now - start) / 1e6,
                    (now - JVM_START) / 1e6);
        }
    }
}
