package dev.isolate.engine.merge;

import dev.isolate.engine.json.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** The summary line the CLI prints: the output, then {@link #figures}. */
    public String summary() {
        return output + ": " + figures();
    }

    /** What was merged into how much, without the output's path (a front end that moves the file says where itself). */
    public String figures() {
        return "merged " + members.size() + " libraries (" + String.join(", ", members) + "), " + size
                + " bytes; exports " + inputExports + " -> " + exports.size() + ", imports " + imports.size() + ", DT_NEEDED "
                + needed + "; " + boundRelocations + " symbol relocations bound at merge time, " + symbolicRelocations
                + " left to ld.so" + (unprotected.isEmpty() ? "" : "; RELRO not kept for " + unprotected);
    }

    /** {@code isolate inspect --merge}: the summary, then every export, import and DT_NEEDED, one a line. */
    public String text() {
        StringBuilder sb = new StringBuilder(summary()).append('\n');
        section(sb, "members, in the order ld.so would search them", members);
        section(sb, "exports", exports);
        section(sb, "imports (left to ld.so)", imports);
        section(sb, "DT_NEEDED", needed);
        if (!unprotected.isEmpty()) {
            section(sb, "RELRO not kept (only TARGET's range is honoured)", unprotected);
        }
        return sb.toString();
    }

    private static void section(StringBuilder sb, String title, List<String> items) {
        sb.append(title).append(" (").append(items.size()).append("):\n");
        items.forEach(i -> sb.append("  ").append(i).append('\n'));
    }

    /** {@code isolate inspect --merge --json}: the same, as one object. */
    public String json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("output", output.toString());
        m.put("size", size);
        m.put("members", members);
        m.put("inputExports", inputExports);
        m.put("exports", exports);
        m.put("imports", imports);
        m.put("needed", needed);
        m.put("boundRelocations", boundRelocations);
        m.put("symbolicRelocations", symbolicRelocations);
        m.put("relroNotKept", unprotected);
        return Json.write(m);
    }
}
