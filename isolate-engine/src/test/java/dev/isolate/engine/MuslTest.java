package dev.isolate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.merge.MergeReport;
import dev.isolate.engine.merge.MergeRequest;
import dev.isolate.engine.merge.Merger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A library built for musl libc, isolated, and used under musl's own dynamic linker ({@code /lib/ld-musl-x86_64.so.1},
 * Debian's musl), as on Alpine: the renamed names resolve into it and the old ones do not ({@code dlcheck} built with
 * musl-gcc), a consumer linked unchanged against its artifacts runs, eu-elflint finds nothing new, and its need of
 * musl's plain {@code libc.so} is no unbundled dependency. The plugin packages such libraries as
 * {@code linux-x86_64-musl}; the loader picks that folder when the JVM runs on musl. And the merge of a glue and
 * that library, loaded by musl: the glue's call reaches the merged copy, which exports nothing else.
 */
class MuslTest {
    private static final Path MUSL_LINKER = Path.of("/lib/ld-musl-x86_64.so.1");

    @BeforeAll
    static void tools() {
        Tools.require("musl-gcc", "readelf", "eu-elflint");
        Tools.requireFile(MUSL_LINKER, "musl");
    }

    private static Path src(String name) {
        return Tools.fixtureSources().resolve(name);
    }

    /** {@code musl/mfix.c} as {@code dir/libmfix.so.1}, linked as Debian's musl-gcc links: without .eh_frame_hdr. */
    private static Path mfix(Path dir) {
        Path lib = dir.resolve("libmfix.so.1");
        Tools.run("musl-gcc", "-shared", "-fPIC", "-O1", "-Wl,-soname,libmfix.so.1", "-o", lib.toString(),
                src("musl/mfix.c").toString()).ok();
        return lib;
    }

    @Test
    void aMuslLibraryIsolatedLoadsAndLinksUnderMusl() throws IOException {
        Path dir = Tools.freshWork("musl");
        Path lib = mfix(dir);
        assertTrue(Checks.readelf("-d", lib.toString()).contains("Shared library: [libc.so]"), "musl-gcc links musl's libc.so");
        Path dlcheck = dir.resolve("dlcheck");
        Tools.run("musl-gcc", "-O1", "-o", dlcheck.toString(), src("dlcheck.c").toString()).ok();
        assertTrue(Checks.readelf("-l", dlcheck.toString()).contains(MUSL_LINKER.toString()), "dlcheck runs under musl's linker");

        Path out = dir.resolve("out");
        Report r = Checks.isolate(lib, out, "acme_");
        assertEquals(List.of(), r.links().unbundled(), "musl's libc.so is a system library");
        assertEquals("linux-x86_64-musl", r.platform(), "the platform the plugin packages it for, in the report and manifest");
        assertTrue(Files.readString(out.resolve("acme_isolate_mfix.json")).contains("\"platform\": \"linux-x86_64-musl\""));
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

    @Test
    void aMergeOfMuslLibrariesRunsUnderMusl() throws IOException {
        Path dir = Tools.freshWork("musl-merge");
        Path lib = mfix(dir);
        Path glue = dir.resolve("libglue.so");
        Tools.run("musl-gcc", "-shared", "-fPIC", "-O1", "-o", glue.toString(), src("musl/glue.c").toString(),
                "-L" + dir, "-l:libmfix.so.1").ok();
        Path run = dir.resolve("run");
        Tools.run("musl-gcc", "-O1", "-o", run.toString(), src("musl/run.c").toString()).ok();
        // The control: the glue and its library as they are, found through LD_LIBRARY_PATH (dlsym on the glue's handle
        // also searches its dependencies, so mfix_digits is found there).
        assertEquals("run 155005, mfix_digits exported\n", // 1+2+3+4+5, then 5 calls (one thread)
                Tools.run("env", "LD_LIBRARY_PATH=" + dir, run.toString(), glue.toString()).ok().out());

        Path out = dir.resolve("out");
        MergeReport m = Merger.merge(new MergeRequest(List.of(glue, lib), out, Set.of(), false));
        assertEquals(List.of("Java_dev_isolate_Musl_run"), m.exports());
        assertEquals(List.of("libc.so"), m.needed(), "musl's libc only: libmfix.so.1 is inside");
        Files.delete(lib); // so nothing can load the original by accident
        assertEquals("run 155005, mfix_digits not exported\n", Tools.run(run.toString(), m.output().toString()).ok().out());
    }
}
