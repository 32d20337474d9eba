package dev.isolate.engine.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.isolate.engine.IsolateException;
import dev.isolate.engine.Tools;
import dev.isolate.engine.elf.ElfFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Damaged members for {@code merge}: truncations and byte mutations (a fixed seed) of the headers, the dynamic
 * tables and the relocations of both inputs of the IFUNC fixture. Only the engine's two exceptions may
 * escape, each one line naming the input, and a refused merge leaves nothing in the output directory.
 */
class MergeMalformedInputTest {
    @Test
    void onlyTheEnginesExceptionsEscapeAndNothingIsLeftBehind() throws IOException {
        // The first 16 KiB hold the headers, .dynsym, .dynstr, the versions, .rela.dyn, .eh_frame_hdr.
        int[] counts = damage(Tools.fixtures().resolve("merge"), new String[] {"libifuncuser.so", "libifunc.so"}, 600, 14, 0, 0x4000, true);
        assertTrue(counts[0] > 100 && counts[1] > 10, "both outcomes exercised: " + counts[0] + " refused, " + counts[1] + " merged");
    }

    /** The FDEs merge reads itself (members without .eh_frame_hdr): damage inside .eh_frame only. */
    @Test
    void aDamagedEhFrameWithoutItsTableIsRefusedInOneLine() throws IOException {
        Path fx = Tools.fixtures().resolve("merge").resolve("nohdr");
        dev.isolate.engine.Checks.Section s = dev.isolate.engine.Checks.section(fx.resolve("libthrower.so"), ".eh_frame");
        int[] counts = damage(fx, new String[] {"libthrower.so", "libcatcher.so"}, 300, 15, (int) s.offset(), (int) (s.offset() + s.size()),
                false);
        assertTrue(counts[0] > 20 && counts[1] > 20, "both outcomes exercised: " + counts[0] + " refused, " + counts[1] + " merged");
    }

    /**
     * {@code rounds} merges of {@code names}, the first (even rounds) or second damaged: 1-4 bytes in {@code [from, to)}
     * changed, or (every tenth round, when {@code truncate}) the file cut short there. Returns {refused, merged}.
     */
    private static int[] damage(Path fx, String[] names, int rounds, long seed, int from, int to, boolean truncate) throws IOException {
        Path work = Tools.freshWork("merge/malformed");
        Path out = work.resolve("out");
        Files.createDirectories(out);
        Random random = new Random(seed);
        int refused = 0;
        int merged = 0;
        for (int round = 0; round < rounds; round++) {
            int victim = truncate ? round % 2 : 0;
            byte[] bytes = Files.readAllBytes(fx.resolve(names[victim]));
            String what;
            if (truncate && round % 10 == 0) {
                int len = random.nextInt(Math.min(bytes.length, to));
                bytes = java.util.Arrays.copyOf(bytes, len);
                what = "truncated to " + len;
            } else {
                int n = 1 + random.nextInt(4);
                StringBuilder sb = new StringBuilder();
                for (int k = 0; k < n; k++) {
                    int at = from + random.nextInt(Math.min(bytes.length, to) - from);
                    byte v = (byte) (random.nextBoolean() ? random.nextInt(256) : bytes[at] ^ (1 << random.nextInt(8)));
                    bytes[at] = v;
                    sb.append(String.format(" [0x%x]=0x%02x", at, v & 0xff));
                }
                what = "mutated" + sb;
            }
            Path dir = work.resolve("in" + round % 4);
            Files.createDirectories(dir);
            List<Path> inputs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Path p = dir.resolve(names[i]);
                if (i == victim) {
                    Files.write(p, bytes);
                } else {
                    Files.copy(fx.resolve(names[i]), p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                inputs.add(p);
            }
            try {
                Merger.merge(new MergeRequest(inputs, out, Set.of(), false));
                merged++;
                Tools.deleteContents(out);
            } catch (ElfFormatException | IsolateException e) {
                refused++;
                assertTrue(e.getMessage().startsWith(dir.toString()) || e.getMessage().contains(names[victim]),
                        "names the input: " + e.getMessage());
                assertEquals(-1, e.getMessage().indexOf('\n'), "one line: " + e.getMessage());
                assertTrue(!e.getMessage().contains("internal error"), e.getMessage());
                try (Stream<Path> s = Files.list(out)) {
                    assertEquals(0, s.count(), "nothing left after: " + e.getMessage());
                }
            } catch (RuntimeException e) {
                fail(names[victim] + " " + what + ": " + e, e);
            }
        }
        return new int[] {refused, merged};
    }
}
