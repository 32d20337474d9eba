package dev.isolate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.policy.Export;
import dev.isolate.engine.policy.NoStub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The consumer artifacts of the C fixtures: which exports get stubs (functions and IFUNCs, the default
 * version only) and which do not (data, TLS), and that C and C++ consumers work through them.
 */
class ConsumerFixturesTest {
    @BeforeAll
    static void tools() {
        Tools.require("gcc", "g++", "nm", "readelf");
        Tools.fixtures();
    }

    static Path dir(FixturesTest.Isolated i) {
        return i.output().getParent();
    }

    static Tools.Result runOk(Path exe) {
        Tools.Result r = Tools.runMerged(exe.toString());
        assertEquals(0, r.exit(), "running " + exe + ": " + r.describe());
        return r;
    }

    @Test
    void kitchenFunctionsAndIfuncsHaveStubsDataAndTlsDoNot() throws IOException {
        FixturesTest.Isolated i = new FixturesTest().isolated("libkitchen-gnu.so");
        assertEquals("kitchen", i.report().name(), "link name from the SONAME libkitchen.so.1");
        Map<String, String> index = Consumers.archiveIndex(dir(i).resolve("libkitchen_stubs.a"));
        for (String f : List.of("kz_add", "kz_fast", "kz_protected", "kz_weak", "kz_tls_get", "kz_version")) {
            assertTrue(index.containsKey(f), f + " in the index of libkitchen_stubs.a: " + index.keySet());
        }
        for (String d : List.of("kz_counter", "kz_table", "kz_tls", "strdup")) {
            assertFalse(index.containsKey(d), d + " (data, TLS or kept) in the index of libkitchen_stubs.a");
        }
        assertEquals(NoStub.DATA, i.export("kz_counter").noStub(), "why kz_counter has no stub");
        assertEquals(NoStub.TLS, i.export("kz_tls").noStub(), "why kz_tls has no stub");

        Path work = Tools.freshWork("consumer-fixtures/kitchen");
        Path stubs = work.resolve("kitchen_stubs");
        Consumers.build("gcc", "-o", stubs.toString(), Consumers.source("kitchen_stubs.c").toString(), "-L" + dir(i), "-lkitchen",
                "-Wl,-rpath," + dir(i));
        assertTrue(runOk(stubs).out().contains("kz_add 5 kz_fast 42"), "kitchen_stubs output");
    }

    @Test
    void kitchenDataAndTlsWorkThroughTheHeaderAndFailWithoutIt() throws IOException {
        FixturesTest.Isolated i = new FixturesTest().isolated("libkitchen-gnu.so");
        Path header = dir(i).resolve("acme_isolate_kitchen.h");
        String text = Files.readString(header);
        for (String n : List.of("kz_counter", "kz_tls", "kz_table", "kz_add")) {
            assertTrue(text.contains("#define " + n + " acme_" + n + "\n"), "#define " + n + " in " + header + ":\n" + text);
        }
        assertFalse(text.contains("#define strdup"), "kept names redefined in " + header);

        Path work = Tools.freshWork("consumer-fixtures/kitchen-header");
        Path exe = work.resolve("kitchen_header");
        Consumers.build("gcc", "-include", header.toString(), "-o", exe.toString(), Consumers.source("kitchen_header.c").toString(),
                "-L" + dir(i), "-lkitchen", "-Wl,-rpath," + dir(i));
        assertTrue(runOk(exe).out().contains("kz_counter 43 kz_table[3] 4 kz_tls 8"), "kitchen_header output");

        Tools.Result bad = Tools.runMerged("gcc", "-o", work.resolve("no_header").toString(),
                Consumers.source("kitchen_header.c").toString(), "-L" + dir(i), "-lkitchen");
        assertNotEquals(0, bad.exit(), "data without the header must not link: " + bad.describe());
        assertTrue(bad.out().contains("undefined reference to `kz_counter'"), "the error names kz_counter: " + bad.describe());
    }

    @Test
    void onlyTheDefaultVersionOfANameGetsAStub() throws IOException {
        FixturesTest.Isolated i = new FixturesTest().isolated("libver.so");
        List<Export> foos = i.report().classification().renamed().stream().filter(e -> e.name().equals("foo")).toList();
        assertEquals(2, foos.size(), "foo@VER_1 and foo@@VER_2 renamed: " + foos);
        for (Export e : foos) {
            assertEquals(e.defaultVersion(), e.stubbable(), "stub for foo@" + (e.defaultVersion() ? "@" : "") + e.version());
            if (!e.defaultVersion()) {
                assertEquals(NoStub.NON_DEFAULT_VERSION, e.noStub(), "why foo@" + e.version() + " has no stub");
            }
        }
        String manifest = Files.readString(dir(i).resolve("acme_isolate_ver.json"));
        assertTrue(manifest.contains("\"name\": \"foo\", \"newName\": \"acme_foo\", \"type\": \"FUNC\", \"bind\": \"GLOBAL\", "
                + "\"version\": \"VER_1\", \"defaultVersion\": false, \"stub\": false, \"noStub\": \"non-default-version\""),
                "foo@VER_1 without a stub in the manifest:\n" + manifest);
        Map<String, String> index = Consumers.archiveIndex(dir(i).resolve("libver_stubs.a"));
        assertEquals(List.of("bar", "foo"), List.copyOf(index.keySet()), "symbols of the index of libver_stubs.a");
        assertNotEquals(index.get("bar"), index.get("foo"), "members of bar and foo: " + index);

        Path exe = Tools.freshWork("consumer-fixtures/ver").resolve("ver_user");
        Consumers.build("gcc", "-o", exe.toString(), Consumers.source("ver_user.c").toString(), "-L" + dir(i), "-lver",
                "-Wl,-rpath," + dir(i));
        assertTrue(runOk(exe).out().contains("foo 2 bar 20"), "foo through its stub is foo@@VER_2");
        String versions = Checks.readelf("-V", "-W", exe.toString());
        assertTrue(versions.contains("Name: VER_2") && versions.contains("File: libacme_ver.so.1"),
                "the consumer requires VER_2 of libacme_ver.so.1:\n" + versions);
    }

    @Test
    void cxxThroughStubsWithNamesLongerThan255Bytes() throws IOException {
        FixturesTest.Isolated i = new FixturesTest().isolated("libcxx.so");
        Map<String, String> index = Consumers.archiveIndex(dir(i).resolve("libcxx_stubs.a"));
        String longest = index.keySet().stream().max((a, b) -> Integer.compare(a.length(), b.length())).orElseThrow();
        assertTrue(longest.length() > 300, "the longest name in the index of libcxx_stubs.a: " + longest.length() + " bytes");
        assertTrue(index.keySet().stream().noneMatch(n -> n.startsWith("_ZTV") || n.startsWith("_ZTI") || n.startsWith("_ZTS")),
                "vtables/typeinfo (data) in the index: " + index.keySet());
        String header = Files.readString(dir(i).resolve("acme_isolate_cxx.h"));
        assertTrue(header.contains("#define cxx_entry acme_cxx_entry\n"), "cxx_entry redirected:\n" + header);
        assertFalse(header.contains("#define _Z"), "mangled names defined in the header:\n" + header);
        assertTrue(header.contains(" *   " + longest + "\n"), "the longest mangled name listed in the header's comment");

        Path exe = Tools.freshWork("consumer-fixtures/cxx").resolve("cxx_user");
        Consumers.build("g++", "-o", exe.toString(), Consumers.source("cxx_user.cpp").toString(), "-L" + dir(i), "-lcxx",
                "-Wl,-rpath," + dir(i));
        assertTrue(runOk(exe).out().contains("deep_probe 1 cxx_entry 11"), "cxx_user output");
    }
}
