package dev.isolate.engine.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class NameSortTest {
    /** Names that share long prefixes, end inside each other, repeat, and use every byte: against TreeSet's order. */
    @Test
    void sortsLikeStringCompareToAndKeepsEachNameOnce() {
        Random r = new Random(42);
        String[] stems = {"", "_ZN4llvm", "_ZN4llvm2cl3optIbLb0ENS0_6parserIbEEE", "a", "\u00ff\u00fe", "LLVM"};
        for (int round = 0; round < 200; round++) {
            List<String> names = new ArrayList<>();
            int n = r.nextInt(round < 20 ? 20 : 3000);
            for (int i = 0; i < n; i++) {
                StringBuilder sb = new StringBuilder(stems[r.nextInt(stems.length)]);
                int len = r.nextInt(6);
                for (int k = 0; k < len; k++) {
                    sb.append((char) (r.nextBoolean() ? 'a' + r.nextInt(3) : 1 + r.nextInt(255)));
                }
                names.add(sb.toString());
                if (r.nextInt(10) == 0) {
                    names.add(sb.toString()); // the same name in two versions
                }
            }
            if (round % 3 == 1) {
                Collections.sort(names); // already sorted
            } else if (round % 3 == 2) {
                names.sort(Collections.reverseOrder());
            }
            assertEquals(List.copyOf(new TreeSet<>(names)), NameSort.sortedUnique(names), "round " + round);
        }
    }

    @Test
    void manyEqualAndManyNestedNamesNeitherRecurseNorLoop() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            names.add("same");
            names.add("x".repeat(i % 700)); // each a prefix of the next
        }
        List<String> expected = List.copyOf(new TreeSet<>(names));
        assertEquals(expected, NameSort.sortedUnique(names));
    }
}
