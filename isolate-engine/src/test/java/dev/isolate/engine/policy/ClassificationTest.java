package dev.isolate.engine.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.Tools;
import dev.isolate.engine.elf.Elf;
import dev.isolate.engine.elf.ElfFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Classification#warnings()}: every warned export once per category, each list in symbol-index order. */
class ClassificationTest {

    /** The definition: all warned exports of both lists, by category, sorted by index (ties: renamed first). */
    private static Map<WarningCategory, List<Export>> byDefinition(Classification c) {
        Map<WarningCategory, List<Export>> out = new EnumMap<>(WarningCategory.class);
        for (List<Export> list : List.of(c.renamed(), c.kept())) {
            for (Export e : list) {
                for (WarningCategory w : e.warnings()) {
                    out.computeIfAbsent(w, x -> new ArrayList<>()).add(e);
                }
            }
        }
        out.values().forEach(l -> l.sort(Comparator.comparingInt(Export::index)));
        return out;
    }

    private static Export export(int index, String name, boolean renamed, WarningCategory... warnings) {
        return new Export(index, name, null, true, Elf.STT_FUNC, Elf.STB_WEAK, Elf.STV_DEFAULT, true,
                renamed ? "p_" + name : name, renamed ? null : SkipReason.WEAK_OVERRIDE, List.of(warnings));
    }

    /**
     * libstdc++: its own definitions of C runtime names ({@code __cxa_*}: kept, warned) between renamed versioned
     * exports and data. (libc itself no longer does: every one of its exports is a C runtime name, kept.)
     */
    @Test
    void aRealLibrarysWarnings() throws IOException {
        Path p = Path.of("/usr/lib/x86_64-linux-gnu/libstdc++.so.6");
        if (!Files.isRegularFile(p)) {
            Tools.unavailable(p + " is missing");
        }
        Classification c = new SymbolPolicy("acme_", List.of()).classify(ElfFile.read(p));
        Map<WarningCategory, List<Export>> w = c.warnings();
        assertTrue(w.containsKey(WarningCategory.VERSIONED_SYMBOL) && w.containsKey(WarningCategory.OBJECT_SYMBOL)
                && w.containsKey(WarningCategory.LIBC_DEFINITION),
                "libstdc++ has versioned, data and C runtime (__cxa_*) exports: " + w.keySet());
        assertTrue(c.renamed().size() > 1000 && !c.kept().isEmpty(), "both lists are long: " + c.renamed().size() + " renamed, "
                + c.kept().size() + " kept");
        assertEquals(byDefinition(c), w);
        assertEquals(w.values().stream().mapToInt(List::size).sum(), c.warningCount());
    }

    @Test
    void listsNotInIndexOrderAreSorted() {
        WarningCategory v = WarningCategory.VERSIONED_SYMBOL;
        Classification c = new Classification(List.of(export(7, "g", true, v), export(3, "f", true, v), export(5, "h", true)),
                List.of(export(3, "f", false, v, WarningCategory.WEAK_OVERRIDE), export(1, "e", false, v)), 0, 0);
        assertEquals(byDefinition(c), c.warnings());
        assertEquals(List.of(1, 3, 3, 7), c.warnings().get(v).stream().map(Export::index).toList());
        assertEquals(5, c.warningCount());
    }

    @Test
    void theMapIsTheCallersToChange() {
        Classification c = new Classification(List.of(export(2, "f", true, WarningCategory.OBJECT_SYMBOL)), List.of(), 0, 0);
        c.warnings().clear();
        assertEquals(1, c.warnings().get(WarningCategory.OBJECT_SYMBOL).size());
    }
}
