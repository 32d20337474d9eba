package dev.isolate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine's packages form layers, each using only the layers below it, so the package graph has no cycle and
 * the layout tells how the pipeline is built (docs/design.md, "Packages"). The dependencies are read from the main
 * sources: every import (static ones too) and every fully qualified {@code dev.isolate.engine...} name in code,
 * comments and string literals left out. No library: ArchUnit, which reads class files, is not in the offline
 * Maven repository this project builds from, and the sources say the same here.
 */
class PackageLayersTest {
    /** Lowest first; "" is the root package (Isolator, the request, the report, the exception). */
    static final List<List<String>> LAYERS = List.of(
            List.of("common", "json"), // phase timer, checked narrowing, SHA-256; JSON: used everywhere, use nothing
            List.of("elf"), // the model and reader
            List.of("machine"), // what differs between targets
            List.of("policy", "stubs", "plan", "ar"), // what to rename and refuse; stub code; layout; the ar format
            List.of("write", "consumer"), // the rewritten library; the artifacts for native consumers
            List.of("report"), // inspect's text and JSON
            List.of(""), // orchestration and the public API
            List.of("merge"), // the second way: members merged into one file (its tables from write, its refusals from the root)
            List.of("cli")); // a front end (the Maven plugin is the other, in its own module)

    static final Path MAIN = Path.of("src/main/java/dev/isolate/engine");
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.isolate\\.engine((?:\\.[a-z][a-z0-9_]*)*)\\.(?:[A-Z]|\\*)");

    @Test
    void everyPackageUsesOnlyLayersBelowIt() throws IOException {
        Map<String, Integer> layer = new HashMap<>();
        for (int i = 0; i < LAYERS.size(); i++) {
            for (String p : LAYERS.get(i)) {
                layer.put(p, i);
            }
        }
        Map<String, Map<String, Set<String>>> graph = dependencies();
        assertEquals(new TreeSet<>(layer.keySet()), new TreeSet<>(graph.keySet()),
                "every package of the engine has a layer in PackageLayersTest.LAYERS (and every layer's package exists)");
        List<String> wrong = new ArrayList<>();
        graph.forEach((from, uses) -> uses.forEach((to, files) -> {
            if (layer.get(to) == null || layer.get(to) >= layer.get(from)) {
                wrong.add(name(from) + " -> " + name(to) + " in " + files);
            }
        }));
        assertEquals(List.of(), wrong, "dependencies that are not on a lower layer");
    }

    @Test
    void thePackageGraphHasNoCycle() throws IOException {
        Map<String, Map<String, Set<String>>> graph = dependencies();
        Map<String, Integer> state = new HashMap<>(); // 1: on the path, 2: done
        for (String p : graph.keySet()) {
            List<String> cycle = cycleFrom(p, graph, state, new ArrayList<>());
            assertTrue(cycle.isEmpty(), "a cycle of packages: " + String.join(" -> ", cycle.stream().map(PackageLayersTest::name)
                    .toList()));
        }
    }

    /** The graph was read at all: a reader that found nothing would pass both tests above. */
    @Test
    void theReaderSeesImportsStaticImportsAndQualifiedNames() throws IOException {
        Map<String, Map<String, Set<String>>> g = dependencies();
        assertTrue(g.get("write").containsKey("elf"), "write -> elf (imports): " + g.get("write"));
        assertTrue(g.get("stubs").get("elf").contains("StubObject.java"), "stubs -> elf (import static Elf.*): " + g.get("stubs"));
        assertTrue(g.get("ar").get("common").contains("ByteSink.java"), "ar -> common (a qualified name): " + g.get("ar"));
        assertEquals(Set.of("dev.isolate.engine.policy", "dev.isolate.engine.elf"), references(
                "import dev.isolate.engine.policy.Export; // dev.isolate.engine.cli.Main\n"
                        + "/* dev.isolate.engine.report.TextReport */ String s = \"dev.isolate.engine.write.X\";\n"
                        + "int n = dev.isolate.engine.elf.Elf.EM_X86_64; char c = '\"';"));
    }

    private static List<String> cycleFrom(String p, Map<String, Map<String, Set<String>>> graph, Map<String, Integer> state,
            List<String> path) {
        Integer s = state.get(p);
        if (s != null && s == 2) {
            return List.of();
        }
        path.add(p);
        if (s != null) { // back on the path: the cycle is the path from p's first visit
            return new ArrayList<>(path.subList(path.indexOf(p), path.size()));
        }
        state.put(p, 1);
        for (String q : graph.getOrDefault(p, Map.of()).keySet()) {
            List<String> c = cycleFrom(q, graph, state, path);
            if (!c.isEmpty()) {
                return c;
            }
        }
        state.put(p, 2);
        path.remove(path.size() - 1);
        return List.of();
    }

    /** Package (relative to dev.isolate.engine) -> the packages it uses -> the files that use them. */
    static Map<String, Map<String, Set<String>>> dependencies() throws IOException {
        assertTrue(Files.isDirectory(MAIN), MAIN.toAbsolutePath() + " (the test runs in the engine's module directory)");
        Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String from = MAIN.relativize(f.getParent()).toString().replace('/', '.');
                Map<String, Set<String>> uses = graph.computeIfAbsent(from, k -> new TreeMap<>());
                for (String ref : references(Files.readString(f))) {
                    String to = ref.equals("dev.isolate.engine") ? "" : ref.substring("dev.isolate.engine.".length());
                    if (!to.equals(from)) {
                        uses.computeIfAbsent(to, k -> new TreeSet<>()).add(f.getFileName().toString());
                    }
                }
            }
        }
        return graph;
    }

    /** The engine packages a source file names in code: {@code dev.isolate.engine.elf} for {@code dev.isolate.engine.elf.Elf}. */
    static Set<String> references(String source) {
        Set<String> out = new TreeSet<>();
        Matcher m = REFERENCE.matcher(code(source));
        while (m.find()) {
            out.add("dev.isolate.engine" + m.group(1));
        }
        return out;
    }

    /** The source with comments and string and character literals blanked, so only code is searched. */
    static String code(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/') {
                while (i < s.length() && s.charAt(i) != '\n') {
                    i++;
                }
                out.append('\n');
            } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? s.length() : end + 1;
                out.append(' ');
            } else if (c == '"' && s.startsWith("\"\"\"", i)) { // a text block
                int end = s.indexOf("\"\"\"", i + 3);
                i = end < 0 ? s.length() : end + 2;
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < s.length() && s.charAt(j) != c) {
                    j += s.charAt(j) == '\\' ? 2 : 1;
                }
                i = j;
                out.append(c).append(c);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String name(String p) {
        return p.isEmpty() ? "(root)" : p;
    }
}
