package dev.isolate.loader;

import static dev.isolate.loader.BundleFixture.DEP;
import static dev.isolate.loader.BundleFixture.GLUE;
import static dev.isolate.loader.BundleFixture.PLATFORM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.Tools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Many threads, and several JVMs, loading one bundle at once: one extraction, every one of them succeeds. */
class ConcurrencyTest {
    static final int THREADS = 16;

    static <T> List<T> together(int n, Callable<T> task) throws Exception {
        CyclicBarrier start = new CyclicBarrier(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return task.call();
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(2, TimeUnit.MINUTES)); // a failure in any thread fails the test here
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void threadsOfOneJvmThroughTheLoader() throws Exception {
        URLClassLoader cl = BundleFixture.classLoader(BundleFixture.jar("cc-threads-jar"));
        Path base = Tools.freshWork("cc-threads");
        Map<String, AtomicInteger> loads = new ConcurrentHashMap<>();
        List<NativeLibrary> libs = together(THREADS, () -> NativeLoader.builder().classLoader(cl).extractTo(base)
                .loadWith(p -> loads.computeIfAbsent(p, k -> new AtomicInteger()).incrementAndGet()).load("glue"));

        Path dir = libs.get(0).directory();
        assertEquals(1, libs.stream().filter(l -> !l.extracted().isEmpty()).count(), "one thread extracted");
        assertEquals(List.of(dir.resolve(DEP), dir.resolve(GLUE)), libs.stream().flatMap(l -> l.extracted().stream()).toList());
        assertTrue(libs.stream().allMatch(l -> l.path().equals(dir.resolve(GLUE))));
        assertEquals(List.of(dir.resolve(DEP).toString(), dir.resolve(GLUE).toString()), loads.keySet().stream().sorted().toList());
        loads.forEach((file, n) -> assertEquals(1, n.get(), file + " loaded once"));
    }

    @Test
    void threadsOfOneJvmThroughTheExtractorAlone() throws Exception {
        // Without the loader's per-JVM memory of ready bundles: the JVM-wide monitor and the file lock alone.
        Path jar = BundleFixture.jar("cc-extractor-jar");
        URL url = new URL("jar:" + jar.toUri() + "!/native/" + PLATFORM + "/isolate.index");
        NativeIndex index = NativeIndex.parse(url.toString(), BundleFixture.index().getBytes(StandardCharsets.UTF_8));
        Path base = Tools.freshWork("cc-extractor");
        List<Extractor.Outcome> outcomes = together(THREADS, () -> Extractor.extract(index, url, base, PLATFORM));
        assertEquals(2, outcomes.stream().mapToInt(o -> o.extracted().size()).sum(), "each file written once");
        assertEquals(1, outcomes.stream().filter(o -> !o.extracted().isEmpty()).count());
    }

    @Test
    void twoJvmsLoadingAtOnce() throws Exception {
        Path jar = BundleFixture.jar("cc-jvms-jar");
        Path base = Tools.freshWork("cc-jvms");
        List<ChildJvm> children = new ArrayList<>();
        List<BufferedReader> outs = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                ChildJvm c = ChildJvm.start(List.of("-Disolate.native.dir=" + base), jar, "load", "glue");
                children.add(c);
                BufferedReader out = new BufferedReader(new InputStreamReader(c.process().getInputStream(), StandardCharsets.UTF_8));
                outs.add(out);
                assertEquals("ready", out.readLine(), () -> "child did not start: " + c.err());
            }
            for (ChildJvm c : children) { // both are waiting: release them together
                OutputStream in = c.process().getOutputStream();
                in.write('\n');
                in.flush();
            }
            List<String> reports = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                ChildJvm c = children.get(i);
                String report = String.join("\n", outs.get(i).lines().toList());
                assertTrue(c.process().waitFor(2, TimeUnit.MINUTES), "child finished");
                assertEquals(0, c.process().exitValue(), () -> "child exited " + c.process().exitValue() + ":\n" + report + "\n" + c.err());
                reports.add(report);
            }
            Path dir;
            try (var s = Files.list(base.resolve(PLATFORM))) {
                dir = s.findFirst().orElseThrow();
            }
            for (String r : reports) {
                assertTrue(r.endsWith("path=" + dir.resolve(GLUE) + "\nmul=42"), r);
            }
            assertEquals(List.of("extracted=0", "extracted=2"), reports.stream().map(r -> r.lines().findFirst().get()).sorted().toList(),
                    "one JVM extracted both files, the other found them intact: " + reports);

            // Loading out of order is what the loader prevents: libglue.so alone cannot find its dependency.
            ChildJvm direct = ChildJvm.start(List.of(), jar, "direct", dir.resolve(GLUE).toString());
            String out = direct.output();
            assertTrue(out.startsWith("error=") && out.contains(DEP + ": cannot open shared object file"), out + direct.err());
        } finally {
            children.forEach(c -> c.process().destroyForcibly());
        }
    }
}
