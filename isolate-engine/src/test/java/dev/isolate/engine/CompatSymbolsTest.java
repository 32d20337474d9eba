package dev.isolate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.policy.Export;
import dev.isolate.engine.policy.WarningCategory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * glibc's hidden compatibility symbols ({@code xdr_int@GLIBC_2.2.5}) are not C runtime names: ld.so binds
 * no unversioned lookup to one, so a library's own definition (libtirpc's xdr_*) is renamed like its other
 * exports, and the bundled copy no longer interposes with the system's libtirpc. Debian's libtirpc3 is a
 * dependency of libc6-dev (through libnsl2), and in .ci/run by name.
 */
class CompatSymbolsTest {
    static final Path LIBC = Path.of("/lib/x86_64-linux-gnu/libc.so.6");
    static final Path LIBTIRPC = RealLibrariesTest.LIBDIR.resolve("libtirpc.so.3");

    /**
     * The premise, from the real loader: {@code dlsym} does not see glibc's hidden {@code xdr_int}, {@code dlvsym}
     * naming its version does; {@code memcpy}, hidden at GLIBC_2.2.5 but default at GLIBC_2.14, resolves.
     */
    @Test
    void glibcsLoaderBindsNoUnversionedLookupToAHiddenSymbol() {
        Tools.requireFile(LIBC, "libc6");
        Checks.assertDlcheck(Target.X86_64, LIBC, List.of("A xdr_int", "A clnt_create", "V xdr_int GLIBC_2.2.5",
                "V clnt_create GLIBC_2.2.5", "R memcpy", "R regcomp", "R realpath"), Tools.work("compat").resolve("libc.names"));
    }

    @Test
    void libtirpcsXdrNamesAreRenamedWithoutLibcDefinitionWarnings() throws IOException {
        Tools.requireFile(LIBTIRPC, "libtirpc3");
        Report r = Checks.inspect(LIBTIRPC, Checks.PREFIX);
        List<Export> xdr = r.classification().renamed().stream().filter(e -> e.name().startsWith("xdr_")).toList();
        assertTrue(xdr.size() > 80, "renamed xdr_* of libtirpc: " + xdr.size());
        assertTrue(r.classification().kept().stream().noneMatch(e -> e.name().startsWith("xdr_") || e.name().startsWith("clnt_")),
                "kept: " + r.classification().kept().stream().map(Export::name).toList());
        Export xdrInt = xdr.stream().filter(e -> e.name().equals("xdr_int")).findFirst().orElseThrow();
        assertEquals(Checks.PREFIX + "xdr_int", xdrInt.newName());
        assertEquals("TIRPC_0.3.0", xdrInt.version(), "version kept");
        // glibc exports bindresvport@@GLIBC_2.2.5, a default version: a new link binds to it, so it stays kept.
        // __libc_clntudp_bufcreate is compat-only in glibc too, but the __libc_* family is kept by its glob.
        assertEquals(List.of("__libc_clntudp_bufcreate", "bindresvport"),
                r.classification().warnings().getOrDefault(WarningCategory.LIBC_DEFINITION, List.of()).stream().map(Export::name).toList(),
                "libc-definition warnings");
    }

    /** Isolated for real: every new name resolves into the copy, and no old one does (glibc's xdr_int is hidden). */
    @Test
    void isolatedLibtirpcResolvesItsNewNamesOnly() throws IOException {
        Tools.require("readelf");
        Tools.requireFile(LIBTIRPC, "libtirpc3");
        Path dir = Tools.freshWork("compat/libtirpc");
        Report r = Checks.isolate(LIBTIRPC, dir, Checks.PREFIX);
        List<String> lines = Checks.nameLines(r);
        assertTrue(lines.contains("A xdr_int") && lines.contains("V " + Checks.PREFIX + "xdr_int TIRPC_0.3.0"), "xdr_int in the dlcheck lines: " + lines.stream().filter(l -> l.endsWith(" xdr_int") || l.contains("xdr_int ")).toList());
        Checks.assertDlcheck(Target.X86_64, r.output(), lines, Tools.work("compat").resolve("libtirpc.names"));
    }
}
