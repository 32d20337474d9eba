package dev.isolate.bench;

import dev.isolate.engine.BundleReport;
import dev.isolate.engine.BundleRequest;
import dev.isolate.engine.Isolator;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The warm, in-process cost of isolating a library with every artifact (name, stubs, header, linker script,
 * manifest) through the engine's API, as the Maven plugin pays it in a multi-module build or under mvnd, next
 * to a copy of the same file measured in the same run: {@link #copy} is the kernel's copy a JVM can make
 * ({@code FileChannel.transferTo}), and {@link #main} also times {@code cp} itself as a process. Each
 * invocation writes to an emptied directory, as a first build does; the deleting is not timed.
 * Besides the wall time, the CPU time of the whole JVM per operation (all threads: the engine's
 * helpers, the kernel's copy, GC and JIT) is measured around each invocation: on a shared machine it
 * moves far less with the load than the wall time does, so it is the figure to compare a change by.
 * Run: bench/jmh.sh [LIBRARY] (it prints the ratios).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 6, time = 2)
@Fork(1)
public class IsolateBenchmark {
    @Param("/usr/lib/x86_64-linux-gnu/libLLVM-15.so.1")
    public String library;

    /** The link name of the artifacts ({@code --name}); empty for the default. A JNI library gets artifacts only with one. */
    @Param("")
    public String name;

    private Path work;
    private Path out;
    private Path copy;
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    private long cpuAt;
    private long cpu;
    private long ops;
    private long measuredCpu;
    private long measuredOps;

    @Setup(Level.Trial)
    public void trial() throws IOException {
        work = Files.createTempDirectory("isolate-jmh");
        out = work.resolve("out");
        copy = work.resolve("copy.so");
    }

    @Setup(Level.Invocation)
    public void empty() throws IOException {
        delete(out);
        Files.deleteIfExists(copy);
        cpuAt = OS.getProcessCpuTime();
    }

    @TearDown(Level.Invocation)
    public void cpu() {
        cpu += OS.getProcessCpuTime() - cpuAt;
        ops++;
    }

    @TearDown(Level.Iteration)
    public void iteration(IterationParams p) {
        if (p.getType() == IterationType.MEASUREMENT) {
            measuredCpu += cpu;
            measuredOps += ops;
        }
        cpu = 0;
        ops = 0;
    }

    /** Leaves the CPU time per operation where {@link #main} reads it (the benchmark runs in a forked JVM). */
    @TearDown(Level.Trial)
    public void done(BenchmarkParams p) throws IOException {
        delete(work);
        String file = System.getProperty("isolate.bench.cpu");
        if (file != null && measuredOps > 0) {
            Files.writeString(Path.of(file + "." + p.getBenchmark().substring(p.getBenchmark().lastIndexOf('.') + 1)),
                    Double.toString(measuredCpu / 1e6 / measuredOps));
        }
    }

    /** What bin/isolate isolate LIBRARY -o DIR --prefix acme_ does, in process. */
    @Benchmark
    public BundleReport isolate() throws IOException {
        Path in = Path.of(library);
        return Isolator.isolate(new BundleRequest(List.of(in), out, "acme_", Map.of(), List.of(), false, Set.of(), null,
                name.isEmpty() ? Map.of() : Map.of(in.getFileName().toString(), name)));
    }

    /** The same file copied to a fresh one by the kernel, as cp does. */
    @Benchmark
    public long copy() throws IOException {
        try (FileChannel in = FileChannel.open(Path.of(library));
                FileChannel o = FileChannel.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long size = in.size();
            for (long at = 0; at < size; ) {
                at += in.transferTo(at, size - at, o);
            }
            return size;
        }
    }

    private static void delete(Path p) throws IOException {
        if (Files.exists(p)) {
            try (Stream<Path> s = Files.walk(p)) {
                for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(q);
                }
            }
        }
    }

    /** Runs both benchmarks (JMH options as usual, e.g. -p library=PATH -wi 3 -i 3), then times cp and prints the ratios. */
    public static void main(String[] args) throws Exception {
        CommandLineOptions cli = new CommandLineOptions(args);
        Path cpuFiles = Files.createTempDirectory("isolate-jmh-cpu");
        Options opts = new OptionsBuilder().parent(cli).include(IsolateBenchmark.class.getName() + "\\.")
                .jvmArgsAppend("-Disolate.bench.cpu=" + cpuFiles.resolve("cpu")).build();
        String lib = cli.getParameter("library").hasValue() ? cli.getParameter("library").get().iterator().next()
                : "/usr/lib/x86_64-linux-gnu/libLLVM-15.so.1";
        double isolate = 0;
        double copy = 0;
        for (RunResult r : new Runner(opts).run()) {
            double ms = r.getPrimaryResult().getScore();
            if (r.getParams().getBenchmark().endsWith(".isolate")) {
                isolate = ms;
            } else {
                copy = ms;
            }
        }
        double cp = cpMedian(Path.of(lib), 11);
        double isolateCpu = readCpu(cpuFiles, "isolate");
        double copyCpu = readCpu(cpuFiles, "copy");
        delete(cpuFiles);
        System.out.printf("%nlibrary              %s%n", lib);
        System.out.printf("load average         %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.printf("isolate (warm)       %8.1f ms   (CPU %.1f ms per operation, all threads)%n", isolate, isolateCpu);
        System.out.printf("copy (transferTo)    %8.1f ms   (CPU %.1f ms)   isolate / copy = %.2fx%n", copy, copyCpu, isolate / copy);
        System.out.printf("cp (process, median) %8.1f ms   isolate / cp   = %.2fx   (target <= 4x) %s%n", cp, isolate / cp,
                isolate / cp <= 4 ? "met" : "NOT MET");
        String name = cli.getParameter("name").hasValue() ? cli.getParameter("name").get().iterator().next() : "";
        paired(Path.of(lib), name, Integer.getInteger("isolate.bench.pairs", 31));
    }

    /**
     * The same ratio measured so that the machine's load falls on both sides: in this JVM, after a warm-up, an
     * isolate and a cp process run back to back, in turns (isolate first, then cp first), and the figure is the
     * median of the ratios of each pair. On a shared machine whose speed drifts over seconds, JMH's isolate
     * and cp runs a minute apart can see different machines; a pair a few hundred milliseconds long mostly
     * sees one. JMH's figure stays the primary one; this one says how much of a miss is the drift.
     */
    private static void paired(Path lib, String name, int pairs) throws Exception {
        IsolateBenchmark b = new IsolateBenchmark();
        b.library = lib.toString();
        b.name = name;
        b.trial();
        Path dir = Files.createTempDirectory("isolate-jmh-pair");
        Path to = dir.resolve("copy.so");
        List<Double> ratios = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) { // warm-up: the isolate path compiled by C2, as in JMH's warm-up
                b.empty();
                b.isolate();
            }
            for (int i = 0; i < pairs; i++) {
                double iso = 0;
                double cp = 0;
                for (int k = 0; k < 2; k++) {
                    if ((k == 0) == (i % 2 == 0)) {
                        b.empty();
                        long t = System.nanoTime();
                        b.isolate();
                        iso = (System.nanoTime() - t) / 1e6;
                    } else {
                        cp = cp(lib, to);
                    }
                }
                ratios.add(iso / cp);
            }
        } finally {
            delete(dir);
            delete(b.work);
        }
        ratios.sort(null);
        double median = ratios.get(ratios.size() / 2);
        System.out.printf("paired               isolate / cp   = %.2fx   (median of %d back-to-back pairs, quartiles %.2f-%.2f)"
                + "   (target <= 4x) %s%n", median, pairs, ratios.get(pairs / 4), ratios.get(3 * pairs / 4),
                median <= 4 ? "met" : "NOT MET");
    }

    private static double readCpu(Path dir, String benchmark) throws IOException {
        Path f = dir.resolve("cpu." + benchmark);
        return Files.exists(f) ? Double.parseDouble(Files.readString(f)) : Double.NaN;
    }

    /** The wall time in milliseconds of {@code cp LIB TO} as a process, {@code TO} deleted first (not timed). */
    private static double cp(Path lib, Path to) throws Exception {
        Files.deleteIfExists(to);
        long t = System.nanoTime();
        if (new ProcessBuilder("cp", lib.toString(), to.toString()).inheritIO().start().waitFor() != 0) {
            throw new IOException("cp failed");
        }
        return (System.nanoTime() - t) / 1e6;
    }

    /** The median wall time of {@code cp LIB fresh-file} as a process, after one untimed run. */
    private static double cpMedian(Path lib, int runs) throws Exception {
        Path dir = Files.createTempDirectory("isolate-jmh-cp");
        Path to = dir.resolve("copy.so");
        List<Double> times = new ArrayList<>();
        try {
            for (int i = 0; i <= runs; i++) {
                double ms = cp(lib, to);
                if (i > 0) {
                    times.add(ms);
                }
            }
        } finally {
            delete(dir);
        }
        times.sort(null);
        return times.get(times.size() / 2);
    }
}
