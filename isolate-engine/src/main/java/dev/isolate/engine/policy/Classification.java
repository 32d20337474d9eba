package dev.isolate.engine.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What the policy decided for one library: the renamed exports, the kept ones and why, the warnings. */
public record Classification(List<Export> renamed, List<Export> kept, int undefinedImports, int localSymbols) {

    /** Warnings by category, each list in symbol-index order (a fresh map the caller may change). */
    public Map<WarningCategory, List<Export>> warnings() {
        return inIndexOrder(renamed) && inIndexOrder(kept) ? merged() : sorted();
    }

    /** How many entries {@link #warnings()} lists, all categories together, without building the lists. */
    public int warningCount() {
        int n = 0;
        for (List<Export> list : List.of(renamed, kept)) {
            for (Export e : list) {
                n += e.warnings().size();
            }
        }
        return n;
    }

    /** The policy's lists are in index order: merged as they are, nothing to sort (45k exports in libLLVM). */
    private Map<WarningCategory, List<Export>> merged() {
        Map<WarningCategory, List<Export>> out = new EnumMap<>(WarningCategory.class);
        for (int r = 0, k = 0; r < renamed.size() || k < kept.size(); ) {
            Export e = k == kept.size() || (r < renamed.size() && renamed.get(r).index() <= kept.get(k).index())
                    ? renamed.get(r++) : kept.get(k++);
            add(out, e);
        }
        return out;
    }

    private Map<WarningCategory, List<Export>> sorted() {
        Map<WarningCategory, List<Export>> out = new EnumMap<>(WarningCategory.class);
        for (List<Export> list : List.of(renamed, kept)) {
            for (Export e : list) {
                add(out, e);
            }
        }
        for (List<Export> l : out.values()) {
            l.sort(Comparator.comparingInt(Export::index));
        }
        return out;
    }

    private static void add(Map<WarningCategory, List<Export>> out, Export e) {
        for (WarningCategory c : e.warnings()) {
            out.computeIfAbsent(c, x -> new ArrayList<>()).add(e);
        }
    }

    private static boolean inIndexOrder(List<Export> list) {
        for (int i = 1; i < list.size(); i++) {
            if (list.get(i - 1).index() > list.get(i).index()) {
                return false;
            }
        }
        return true;
    }
}
