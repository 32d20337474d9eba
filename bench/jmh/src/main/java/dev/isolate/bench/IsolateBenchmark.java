package dev.isolate.bench;

import dev.isolate.engine.BundleReport;
import dev.isolate.engine.BundleRequest;
import dev.isolate.engine.Isolator;
import dev.isolate.engine.common.Sha256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * ({@code FileChannel.transferTo}), and {@link #main} also times {@code cp} itself as a process. {@link #floor}
 * writes the same outputs' bytes and hashes the input, with no ELF work: the part of the time no engine saves. Each
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
    /** What one isolate writes: each output file's name and size, for {@link #floor}. */
    private Map<String, Long> written;
    private ExecutorService digester;
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
        isolate();
        written = new TreeMap<>();
        try (Stream<Path> s = Files.list(out)) {
            for (Path p : s.toList()) {
                written.put(p.getFileName().toString(), Files.size(p));
            }
        }
        digester = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "floor-digest");
            t.setDaemon(true);
            return t;
        });
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
        digester.shutdownNow();
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
        try (FileChannel o = FileChannel.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            return transfer(Path.of(library), Long.MAX_VALUE, o);
        }
    }

    /** The kernel's copy of the first {@code limit} bytes of {@code from} (all of it, if shorter) into {@code to}. */
    private static long transfer(Path from, long limit, FileChannel to) throws IOException {
        try (FileChannel in = FileChannel.open(from)) {
            long size = Math.min(in.size(), limit);
            for (long at = 0; at < size; ) {
                at += in.transferTo(at, size - at, to);
            }
            return size;
        }
    }

    /**
     * The least any tool must do to leave these outputs, with no ELF work at all: the input's SHA-256 (the
     * manifest records it) on a second thread, as the engine does, and on this one the library as a kernel
     * copy of the input and the bytes it grew by, then every other file isolate wrote, as many bytes (zeros)
     * as it wrote. On two cores this is the I/O and digest floor under the warm target: isolate's time above
     * it is what parsing, rewriting, generating and verifying cost.
     */
    @Benchmark
    public String floor() throws Exception {
        Path in = Path.of(library);
        Future<String> digest = digester.submit(() -> Sha256.of(in)); // the engine's own digest of its input
        Files.createDirectories(out);
        String lib = written.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        byte[] zeros = new byte[1 << 16];
        for (Map.Entry<String, Long> f : written.entrySet()) {
            try (FileChannel o = FileChannel.open(out.resolve(f.getKey()), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                long at = f.getKey().equals(lib) ? transfer(in, f.getValue(), o) : 0;
                while (at < f.getValue()) {
                    at += o.write(ByteBuffer.wrap(zeros, 0, (int) Math.min(zeros.length, f.getValue() - at)), at);
                }
            }
        }
        return digest.get();
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
        Map<String, Double> ms = new TreeMap<>();
        for (RunResult r : new Runner(opts).run()) {
            String b = r.getParams().getBenchmark();
            ms.put(b.substring(b.lastIndexOf('.') + 1), r.getPrimaryResult().getScore());
        }
        double isolate = ms.getOrDefault("isolate", Double.NaN);
        double copy = ms.getOrDefault("copy", Double.NaN);
        double floor = ms.getOrDefault("floor", Double.NaN);
        double cp = cpMedian(Path.of(lib), 11);
        double isolateCpu = readCpu(cpuFiles, "isolate");
        double copyCpu = readCpu(cpuFiles, "copy");
        double floorCpu = readCpu(cpuFiles, "floor");
        delete(cpuFiles);
        System.out.printf("%nlibrary              %s%n", lib);
        System.out.printf("load average         %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.printf("isolate (warm)       %8.1f ms   (CPU %.1f ms per operation, all threads)%n", isolate, isolateCpu);
        System.out.printf("copy (transferTo)    %8.1f ms   (CPU %.1f ms)   isolate / copy = %.2fx%n", copy, copyCpu, isolate / copy);
        System.out.printf("cp (process, median) %8.1f ms   isolate / cp   = %.2fx   (target <= 4x) %s%n", cp, isolate / cp,
                isolate / cp <= 4 ? "met" : "NOT MET");
        System.out.printf("floor (I/O, digest)  %8.1f ms   (CPU %.1f ms)   floor / cp = %.2fx   isolate / floor = %.2fx%n", floor,
                floorCpu, floor / cp, isolate / floor);
        String name = cli.getParameter("name").hasValue() ? cli.getParameter("name").get().iterator().next() : "";
        paired(Path.of(lib), name, Integer.getInteger("isolate.bench.triples", 31));
    }

    /**
     * The same ratios measured so that the machine's load falls on every side: in this JVM, after a warm-up,
     * an isolate, a {@link #floor} and a cp process run back to back, in an order that rotates, and each figure
     * is the median of the ratios within each triple. On a shared machine whose speed drifts over seconds,
     * JMH's runs a minute apart can see different machines; a triple a few hundred milliseconds long mostly
     * sees one. JMH's figure stays the primary one; these say how much of a miss is the drift, and how much of
     * the time is the floor.
     */
    private static void paired(Path lib, String name, int triples) throws Exception {
        IsolateBenchmark b = new IsolateBenchmark();
        b.library = lib.toString();
        b.name = name;
        b.trial();
        Path dir = Files.createTempDirectory("isolate-jmh-pair");
        Path to = dir.resolve("copy.so");
        List<Double> isoCp = new ArrayList<>();
        List<Double> floorCp = new ArrayList<>();
        List<Double> isoFloor = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) { // warm-up: the isolate path compiled by C2, as in JMH's warm-up
                b.empty();
                b.isolate();
                b.empty();
                b.floor();
            }
            for (int i = 0; i < triples; i++) {
                double[] ms = new double[3]; // isolate, floor, cp
                for (int k = 0; k < 3; k++) {
                    int which = (i + k) % 3;
                    b.empty();
                    long t = System.nanoTime();
                    switch (which) {
                        case 0 -> b.isolate();
                        case 1 -> b.floor();
                        default -> {
                            ms[2] = cp(lib, to);
                            continue;
                        }
                    }
                    ms[which] = (System.nanoTime() - t) / 1e6;
                }
                isoCp.add(ms[0] / ms[2]);
                floorCp.add(ms[1] / ms[2]);
                isoFloor.add(ms[0] / ms[1]);
            }
        } finally {
            b.digester.shutdownNow();
            delete(dir);
            delete(b.work);
        }
        double median = median(isoCp);
        System.out.printf("paired               isolate / cp   = %.2fx   (median of %d back-to-back triples, quartiles %.2f-%.2f)"
                + "   (target <= 4x) %s%n", median, triples, quartile(isoCp, 1), quartile(isoCp, 3), median <= 4 ? "met" : "NOT MET");
        System.out.printf("paired               floor / cp     = %.2fx   (quartiles %.2f-%.2f)%n", median(floorCp), quartile(floorCp, 1),
                quartile(floorCp, 3));
        System.out.printf("paired               isolate / floor = %.2fx  (quartiles %.2f-%.2f)%n", median(isoFloor),
                quartile(isoFloor, 1), quartile(isoFloor, 3));
    }

    private static double median(List<Double> v) {
        return quartile(v, 2);
    }

    private static double quartile(List<Double> v, int q) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return s.get(Math.min(s.size() - 1, s.size() * q / 4));
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
        return median(times);
    }
}
