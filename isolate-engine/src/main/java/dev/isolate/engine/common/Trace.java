package dev.isolate.engine.common;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Phase timings on stderr, for finding where a cold run spends its time: run with
 * {@code -Disolate.trace=true} (through {@code bin/isolate}: {@code ISOLATE_JAVA_OPTS=-Disolate.trace=true}).
 * Each line gives the phase, its wall time, the CPU time of the thread that ran it (less disturbed by
 * other processes on a busy machine) and when it ended, counted from the JVM's start, so the gaps between
 * lines (start-up, class loading, phases without a timer) show too, and the heap the thread allocated
 * (a short run never collects: what it allocates is what it makes resident). Off, it costs one static boolean
 * test per phase; on, it loads java.management first, which delays everything by a few milliseconds.
 */
public final class Trace {
    private static final boolean ON = Boolean.getBoolean("isolate.trace");
    private static final ThreadMXBean THREADS = ON ? ManagementFactory.getThreadMXBean() : null;
    /** The JVM's start on the {@code nanoTime} clock. */
    private static final long JVM_START = ON ? System.nanoTime() - ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000 : 0;

    private Trace() {}

    /** A start mark for {@link #end}, or null when tracing is off. */
    public static long[] start() {
        return ON ? new long[] {System.nanoTime(), THREADS.getCurrentThreadCpuTime(), allocated()} : null;
    }

    /** A point in time, counted from the JVM's start (the start of {@code main}, the call to {@code System.exit}). */
    public static void mark(String what) {
        if (ON) {
            System.err.printf("isolate.trace %-28s %54s %6.1f ms after JVM start%n", what, "at", (System.nanoTime() - JVM_START) / 1e6);
        }
    }

    public static void end(String phase, long[] start) {
        if (ON) {
            long now = System.nanoTime();
            long cpu = THREADS.getCurrentThreadCpuTime();
            System.err.printf("isolate.trace %-28s %7.1f ms (cpu %7.1f ms, alloc %6.1f MB), ends %6.1f ms after JVM start%n",
                    phase, (now - start[0]) / 1e6, (cpu - start[1]) / 1e6, (allocated() - start[2]) / 1e6, (now - JVM_START) / 1e6);
        }
    }

    private static long allocated() {
        return THREADS instanceof com.sun.management.ThreadMXBean t ? t.getCurrentThreadAllocatedBytes() : 0;
    }
}
