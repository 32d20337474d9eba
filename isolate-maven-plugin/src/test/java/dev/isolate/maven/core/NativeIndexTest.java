package dev.isolate.maven.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeIndexTest {
    /** A member named {@code file} needing {@code needs}; hash, size and SONAME derived from the name. */
    private static NativeIndex.Entry e(String file, String... needs) {
        return new NativeIndex.Entry(file, "sha-" + file, file.length(), file, "orig-" + file, Arrays.asList(needs));
    }

    private static List<String> files(List<NativeIndex.Entry> entries) {
        return entries.stream().map(NativeIndex.Entry::file).toList();
    }

    @Test
    void dependenciesComeFirst() {
        List<NativeIndex.Entry> order = NativeIndex.loadOrder(List.of(e("libglue.so", "libz.so.1"), e("libz.so.1")));
        assertEquals(List.of("libz.so.1", "libglue.so"), files(order));
        assertEquals(List.of("libz.so.1"), order.get(1).needs());
    }

    @Test
    void chainsAndDiamondsAreOrderedTransitively() {
        // a -> b -> c, a -> c, d -> c: every member after everything it needs, directly or not.
        List<NativeIndex.Entry> order = NativeIndex.loadOrder(List.of(e("a", "b", "c"), e("d", "c"), e("b", "c"), e("c")));
        assertEquals(List.of("c", "b", "a", "d"), files(order));
    }

    @Test
    void inputOrderIsKeptWhereTheGraphLeavesItFree() {
        assertEquals(List.of("c", "a", "b"), files(NativeIndex.loadOrder(List.of(e("c"), e("a"), e("b")))));
        // y needs w: w moves up before y, x stays first, z stays last.
        assertEquals(List.of("x", "w", "y", "z"), files(NativeIndex.loadOrder(List.of(e("x"), e("y", "w"), e("w"), e("z")))));
    }

    @Test
    void aCycleIsBrokenAtTheMemberListedFirst() {
        // a <-> b: a is visited first, so the edge back into it (b -> a) is the one dropped; b loads first.
        List<NativeIndex.Entry> order = NativeIndex.loadOrder(List.of(e("a", "b"), e("b", "a")));
        assertEquals(List.of("b", "a"), files(order));
        assertEquals(List.of(), order.get(0).needs());
        assertEquals(List.of("b"), order.get(1).needs());

        // Listed the other way round, the other edge goes.
        order = NativeIndex.loadOrder(List.of(e("b", "a"), e("a", "b")));
        assertEquals(List.of("a", "b"), files(order));
        assertEquals(List.of(), order.get(0).needs());

        // A three-cycle plus a member outside it: every member once, the outsider still after what it needs.
        order = NativeIndex.loadOrder(List.of(e("p", "q"), e("q", "r"), e("r", "p"), e("s", "p")));
        assertEquals(List.of("r", "q", "p", "s"), files(order));
        assertEquals(List.of(), order.get(0).needs());
    }

    @Test
    void needsOutsideTheBundleAreDroppedAndEverythingElseIsKept() {
        NativeIndex.Entry in = new NativeIndex.Entry("libglue.so", "abc", 123, null, "libglue.so", List.of("libc.so.6", "libz.so.1"));
        List<NativeIndex.Entry> order = NativeIndex.loadOrder(List.of(in, e("libz.so.1")));
        NativeIndex.Entry out = order.get(1);
        assertEquals(new NativeIndex.Entry("libglue.so", "abc", 123, null, "libglue.so", List.of("libz.so.1")), out);
    }

    @Test
    void indexTextFormat() {
        List<NativeIndex.Entry> order = List.of(
                new NativeIndex.Entry("libacme_z.so.1", "00ff", 4096, "libacme_z.so.1", "libz.so.1", List.of()),
                new NativeIndex.Entry("libglue.so", "ab12", 77, null, "libglue.so", List.of("libacme_z.so.1", "libacme_x.so")));
        // The format is ours alone: the exact bytes.
        assertEquals("# isolate native index 1\n"
                + "# file\tsha256\tsize\tsoname\toriginal\tneeds\n"
                + "libacme_z.so.1\t00ff\t4096\tlibacme_z.so.1\tlibz.so.1\t-\n"
                + "libglue.so\tab12\t77\t-\tlibglue.so\tlibacme_z.so.1,libacme_x.so\n", NativeIndex.format(order));
        assertEquals(NativeIndex.format(order), NativeIndex.format(order, NativeIndex.RENAME), "rename is version 1, as before modes");
        assertEquals(NativeIndex.format(order), NativeIndex.format(order, NativeIndex.MERGE), "merge too: the loader needs nothing new");
    }

    @Test
    void segregateIndexIsVersionTwoWithItsMode() {
        List<NativeIndex.Entry> order = List.of(
                new NativeIndex.Entry("libz.so.1", "00ff", 4096, "libz.so.1", "libz.so.1", List.of()),
                new NativeIndex.Entry("libglue.so", "ab12", 77, "libglue.so", "libglue.so", List.of("libz.so.1")));
        assertEquals("# isolate native index 2\n"
                + "mode\tsegregate\n"
                + "# file\tsha256\tsize\tsoname\toriginal\tneeds\n"
                + "libz.so.1\t00ff\t4096\tlibz.so.1\tlibz.so.1\t-\n"
                + "libglue.so\tab12\t77\tlibglue.so\tlibglue.so\tlibz.so.1\n", NativeIndex.format(order, NativeIndex.SEGREGATE));
        assertEquals(List.of(false, false, false, true), List.of("# isolate native index 2", "mode\tsegregate", "# file", "libz.so.1\t00ff")
                .stream().map(NativeIndex::isMember).toList());
    }

    @Test
    void writeStoresTheFormatAsUtf8(@TempDir Path dir) throws IOException {
        List<NativeIndex.Entry> order = List.of(new NativeIndex.Entry("libé.so", "1", 1, "libé.so", "libé.so", List.of()));
        NativeIndex.write(dir, order, NativeIndex.RENAME);
        Path f = dir.resolve(NativeIndex.FILE_NAME);
        assertEquals("isolate.index", f.getFileName().toString());
        assertEquals(NativeIndex.format(order), Files.readString(f, StandardCharsets.UTF_8));
    }
}
