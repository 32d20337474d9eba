package dev.isolate.engine.consumer;

import dev.isolate.engine.policy.ArtifactNames;
import java.io.IOException;

/**
 * {@code libN.so}: a GNU ld script, not a shared library. {@code -lN} finds it before any real
 * {@code libN.so} in the same directory; it adds the stub archive (members pulled in by the
 * consumer's undefined original names) and, as needed, the isolated library itself, which defines
 * the prefixed names the stubs call. GNU ld, gold and lld look for both names in the script's own
 * directory or on the {@code -L} path. Names are quoted so that {@code +}, {@code -} and {@code .}
 * in them never read as script syntax.
 */
final class LinkerScript {
    private LinkerScript() {}

    static void write(Appendable out, Library lib) throws IOException {
        ArtifactNames n = lib.artifacts();
        out.append("/* ").append(n.linkerScript()).append(": a GNU ld script written by isolate, not a shared library.\n"
                + "   -l").append(n.name()).append(" links the stubs in ").append(n.stubArchive())
                .append(": each defines an original name (hidden)\n   and jumps to the prefixed name in ");
        RedirectHeader.comment(out, lib.fileName());
        out.append(", the isolated copy of ");
        RedirectHeader.comment(out, lib.oldSoname() != null ? lib.oldSoname() : lib.input().getFileName().toString());
        out.append(". */\nINPUT(\"").append(n.stubArchive()).append("\" AS_NEEDED(\"").append(lib.fileName()).append("\"))\n");
    }
}
