package dev.isolate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.policy.Export;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test helper for the consumer artifacts: the C consumers of src/test/c/consumer, compiling, running, LD_DEBUG. */
public final class Consumers {
    private Consumers() {}

    /** A source file of src/test/c/consumer. */
    public static Path source(String name) {
        return Tools.fixtureSources().resolve("consumer").resolve(name);
    }

    /** Runs a compiler or linker command; fails the test with its output unless it succeeds. */
    public static Tools.Result build(String... command) {
        Tools.Result r = Tools.runMerged(command);
        assertEquals(0, r.exit(), "building a consumer: " + r.describe());
        return r;
    }

    /** {@code env K=V... command}: the command with extra environment variables. */
    public static Tools.Result runWith(Map<String, String> env, String... command) {
        List<String> cmd = new ArrayList<>();
        cmd.add("env");
        new TreeMap<>(env).forEach((k, v) -> cmd.add(k + "=" + v));
        cmd.addAll(List.of(command));
        return Tools.run(cmd, Tools.DEFAULT_TIMEOUT, false);
    }

    /** One line of {@code LD_DEBUG=bindings}: {@code from} bound {@code symbol} to {@code to}. */
    public record Binding(Path from, Path to, String symbol) {}

    private static final Pattern BINDING = Pattern.compile("binding file (.+?) \\[\\d+\\] to (.+?) \\[\\d+\\]: normal symbol `([^']+)'");

    public static List<Binding> bindings(String ldDebugOutput) {
        List<Binding> out = new ArrayList<>();
        Matcher m = BINDING.matcher(ldDebugOutput);
        while (m.find()) {
            out.add(new Binding(realPath(m.group(1)), realPath(m.group(2)), m.group(3)));
        }
        return out;
    }

    public static Path realPath(String p) {
        try {
            return Path.of(p).toRealPath();
        } catch (IOException e) {
            return Path.of(p); // the main program is printed as it was started
        }
    }

    public static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The original names of the renamed exports of a report. */
    public static Set<String> originalNames(Report r) {
        Set<String> s = new TreeSet<>();
        for (Export e : r.classification().renamed()) {
            s.add(e.name());
        }
        return s;
    }

    /** The names of the stubbed exports of a report. */
    public static Set<String> stubbedNames(Report r) {
        Set<String> s = new TreeSet<>();
        for (Export e : r.classification().renamed()) {
            if (e.stubbable()) {
                s.add(e.name());
            }
        }
        return s;
    }

    /** Exit 0, nothing on stderr, no "warning" anywhere in the output. */
    public static void assertQuiet(Tools.Result r) {
        assertEquals(0, r.exit(), r.describe());
        assertTrue(r.err().isBlank(), "stderr of `" + String.join(" ", r.command()) + "`:\n" + Tools.tail(r.err(), 3000));
        assertFalse(r.out().toLowerCase(java.util.Locale.ROOT).contains("warning"),
                "a warning in the output of `" + String.join(" ", r.command()) + "`:\n" + Tools.tail(r.out(), 3000));
    }

    /** The symbol -> member lines of {@code nm -s}'s "Archive index:", as a map name -> member. */
    public static Map<String, String> archiveIndex(Path archive) {
        Tools.require("nm");
        Tools.Result r = Tools.run(List.of("nm", "-s", archive.toString()), Tools.DEFAULT_TIMEOUT, false).ok();
        Map<String, String> index = new TreeMap<>();
        boolean in = false;
        for (String line : r.out().split("\n")) {
            if (line.equals("Archive index:")) {
                in = true;
            } else if (in && line.isBlank()) {
                break;
            } else if (in) {
                int at = line.lastIndexOf(" in ");
                String prev = index.put(line.substring(0, at), line.substring(at + 4));
                assertEquals(null, prev, "symbol listed twice in the index of " + archive + ": " + line);
            }
        }
        return index;
    }
}
