package dev.isolate.engine.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.Tools;
import dev.isolate.engine.elf.ElfFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link GlobSet}, the combined matcher, agrees with trying each {@link Glob} (and each exact name) in
 * turn: on every short pattern against every short name, on random sets of patterns, and with the C
 * runtime list on the dynamic symbols of real libraries.
 */
class GlobSetTest {
    private static final String ALPHABET = "ab*?";

    /** Every string over {@code alphabet} of at most {@code max} characters. */
    private static List<String> strings(String alphabet, int max) {
        List<String> out = new ArrayList<>(List.of(""));
        for (int from = 0, len = 1; len <= max; len++) {
            int to = out.size();
            for (int i = from; i < to; i++) {
                for (char c : alphabet.toCharArray()) {
                    out.add(out.get(i) + c);
                }
            }
            from = to;
        }
        return out;
    }

    private static boolean oneByOne(List<String> globs, List<String> names, String s) {
        return names.contains(s) || globs.stream().anyMatch(g -> new Glob(g).matches(s));
    }

    @Test
    void everyShortPatternAgreesWithGlob() {
        List<String> names = strings("abc", 5);
        int matched = 0;
        for (String p : strings(ALPHABET, 4)) {
            GlobSet set = new GlobSet(List.of(p));
            for (String n : names) {
                boolean expected = new Glob(p).matches(n);
                assertEquals(expected, set.matches(n), "'" + p + "' against '" + n + "'");
                matched += expected ? 1 : 0;
            }
        }
        assertTrue(matched > 1000, "the patterns match some names: " + matched);
    }

    @Test
    void randomSetsOfPatternsAndNamesAgreeWithTryingEachInTurn() {
        Random r = new Random(42);
        List<String> patterns = strings(ALPHABET, 4);
        List<String> literals = strings("ab", 3);
        List<String> names = strings("abc", 5);
        for (int round = 0; round < 300; round++) {
            List<String> globs = new ArrayList<>();
            List<String> exact = new ArrayList<>();
            for (int k = r.nextInt(6); k > 0; k--) {
                globs.add(patterns.get(r.nextInt(patterns.size())));
            }
            for (int k = r.nextInt(3); k > 0; k--) {
                exact.add(literals.get(r.nextInt(literals.size())));
            }
            GlobSet set = new GlobSet(globs, exact);
            for (String n : names) {
                assertEquals(oneByOne(globs, exact, n), set.matches(n), globs + " and names " + exact + " against '" + n + "'");
            }
        }
    }

    @Test
    void exactNamesAreLiteral() {
        GlobSet set = new GlobSet(List.of(), List.of("a*", "b?"));
        assertTrue(set.matches("a*"));
        assertTrue(set.matches("b?"));
        assertFalse(set.matches("ab"));
        assertFalse(set.matches("bc"));
        assertFalse(set.matches("a"));
    }

    /** The C runtime list, as one matcher, on every dynamic symbol of libraries full of C runtime and C++ names. */
    @ParameterizedTest
    @ValueSource(strings = {"libc.so.6", "libstdc++.so.6", "libcrypto.so.3"})
    void theCRuntimeListMatchesWhatItsGlobsAndNamesMatch(String lib) throws IOException {
        Path p = Path.of("/usr/lib/x86_64-linux-gnu", lib);
        if (!Files.isRegularFile(p)) {
            Tools.unavailable(p + " is missing");
        }
        ElfFile elf = ElfFile.read(p);
        List<String> names = List.copyOf(LibcExclusions.NAMES);
        int matched = 0;
        for (int i = 1; i < elf.syms.length; i++) {
            String n = elf.name(i);
            boolean expected = oneByOne(LibcExclusions.GLOBS, names, n);
            assertEquals(expected, LibcExclusions.matches(n), n + " in " + lib);
            matched += expected ? 1 : 0;
        }
        assertTrue(matched > 0 && matched < elf.syms.length - 1, lib + ": some names, not all, are C runtime names (" + matched + ")");
    }
}
