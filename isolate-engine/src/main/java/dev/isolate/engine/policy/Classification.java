package dev.isolate.engine.policy;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What the policy decided for one library: the renamed exports, the kept ones and why, the warnings. */
public record Classification(List<Export> renamed, List<Export> kept, int undefinedImports, int localSymbols) {

    /** Warnings by category, each list in symbol-index order (a fresh map the caller may change). */
    public Map<WarningCategory, List<Export>> warnings() {
        Map<WarningCategory, List<Export>> out = new EnumMap<>(WarningCategory.class);
        for (List<Export> list : List.of(renamed, kept)) {
            for (Export e : list) {
                for (WarningCategory c : e.warnings()) {
                    out.computeIfAbsent(c, k -> new ArrayList<>()).add(e);
                }
            }
        }
        for (List<Export> l : out.values()) {
            l.sort((a, b) -> Integer.compare(a.index(), b.index()));
        }
        return out;
    }
}
