package dev.isolate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A library built for musl libc, isolated, and used under musl's own dynamic linker ({@code /lib/ld-musl-x86_64.so.1},
 * Debian's musl), as on Alpine: the renamed names resolve into it and the old ones do not ({@code dlcheck} built with
 * musl-gcc), a consumer linked unchanged against its artifacts runs, eu-elflint finds nothing new, and its need of
 * musl's plain {@code libc.so} is no unbundled dependency. The plugin packages such libraries as
 * {@code linux-x86_64-musl}; the loader picks that folder when the JVM runs on musl.
 */
class MuslTest {
    private static final Path MUSL_LINKER = Path.of("/lib/ld-musl-x86_64.so.1");

    @BeforeAll
    static void tools() {
        Tools.require("musl-gcc", "readelf", "eu-elflint");
        Tools.requireFile(MUSL_LINKER, "musl");
    }

    private static Path src(String name) {
        return Path.of(System.getProperty("isolate.fixtures.src", "src/test/c")).toAbsolutePath().resolve(name);
    }

    @Test
    void aMuslLibraryIsolatedLoadsAndLinksUnderMusl() throws IOException {
        Path dir = Tools.freshWork("musl");
        Path lib = dir.resolve("libmfix.so.1");
        Tools.run("musl-gcc", "-shared", "-fPIC", "-O1", "-Wl,-soname,libmfix.so.1", "-o", lib.toString(),
                src("musl/mfix.c").toString()).ok();
        assertTrue(Checks.readelf("-d", lib.toString()).contains("Shared library: [libc.so]"), "musl-gcc links musl's libc.so");
        Path dlcheck = dir.resolve("dlcheck");
        Tools.run("musl-gcc", "-O1", "-o", dlcheck.toString(), src("dlcheck.c").toString()).ok();
        assertTrue(Checks.readelf("-l", dlcheck.toString()).contains(MUSL_LINKER.toString()), "dlcheck runs under musl's linker");

        Path out = dir.resolve("out");
        Report r = Checks.isolate(lib, out, "acme_");
        assertEquals(List.of(), r.links().unbundled(), "musl's libc.so is a system library");
        assertEquals(List.of("mfix_add", "mfix_calls", "mfix_count", "mfix_digits", "mfix_tls_calls"),
                r.classification().renamed().stream().map(e -> e.name()).sorted().toList());
        Path isolated = out.resolve("libacme_mfix.so.1");

        Path names = dir.resolve("names.txt");
        Checks.assertDlcheck(Target.X86_64, isolated, Checks.nameLines(r), names, dlcheck);
        Lint.assertNoNewMessages(lib, isolated, "acme_");

        // A consumer written against the original names, linked with -L out -lmfix as the README says, run by musl.
        Path use = dir.resolve("use");
        Tools.run("musl-gcc", "-O1", "-o", use.toString(), src("musl/use.c").toString(), "-L" + out, "-lmfix").ok();
        assertTrue(Checks.readelf("-d", use.toString()).contains("Shared library: [libacme_mfix.so.1]"), "needs the isolated copy");
        Tools.Result run = Tools.run("env", "LD_LIBRARY_PATH=" + out, use.toString());
        assertEquals("sum 10 count 4004\n", run.ok().out(), run.describe());
        assertTrue(Files.isRegularFile(out.resolve("acme_isolate_mfix.h")), "the header is written too");
    }
}
