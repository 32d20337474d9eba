package dev.isolate.engine.merge;

import java.nio.file.Path;
import java.util.List;

/**
 * What a merge did, in figures a user can check with {@code readelf}/{@code nm -D}/{@code LD_DEBUG=bindings}.
 *
 * @param output           the merged file
 * @param size             its size in bytes
 * @param members          the inputs' names (SONAME or file name), in scope order
 * @param inputExports     exports of all inputs together
 * @param exports          the merged file's exports
 * @param imports          its imports (undefined dynamic symbols), {@code name} or {@code name@VERSION}
 * @param needed           its DT_NEEDED
 * @param boundRelocations relocations that named a symbol and were bound at merge time (no lookup remains)
 * @param symbolicRelocations relocations left for ld.so to look up
 * @param unprotected      members whose PT_GNU_RELRO range stays writable (only one range per object is honoured)
 */
public record MergeReport(Path output, long size, List<String> members, int inputExports, List<String> exports,
        List<String> imports, List<String> needed, int boundRelocations, int symbolicRelocations, List<String> unprotected) {

    /** The summary line the CLI prints. */
    public String summary() {
        return output + ": merged " + members.size() + " libraries (" + String.join(", ", members) + "), " + size
                + " bytes; exports " + inputExports + " -> " + exports.size() + ", imports " + imports.size() + ", DT_NEEDED "
                + needed + "; " + boundRelocations + " symbol relocations bound at merge time, " + symbolicRelocations
                + " left to ld.so" + (unprotected.isEmpty() ? "" : "; RELRO not kept for " + unprotected);
    }
}
