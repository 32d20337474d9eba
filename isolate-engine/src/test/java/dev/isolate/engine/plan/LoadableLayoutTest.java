package dev.isolate.engine.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.Checks;
import dev.isolate.engine.Tools;
import dev.isolate.engine.elf.ElfFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * An allocated section header that no PT_LOAD maps where it says: found by {@link ElfFuzzTest} (an aarch64 libatomic with one byte of {@code .gnu.hash}'s
 * {@code sh_addr} changed), once reported as "internal error, the output failed its own check (please report)".
 * Now refused as the input's fault, naming the field and its byte offset.
 */
class LoadableLayoutTest {
    static final Path LIB = Tools.fixtures().resolve("libkitchen-gnu.so");

    @Test
    void sectionAddressNoSegmentMaps() throws IOException {
        byte[] b = Files.readAllBytes(LIB);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (String name : List.of(".gnu.hash", ".text", ".data")) {
            Checks.Section s = Checks.section(LIB, name);
            long at = bb.getLong(40) + 64L * s.index() + 16;
            byte[] c = b.clone();
            ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putLong((int) at, bb.getLong((int) at) + 8);
            refused(name + "-addr.so", c, "Elf64_Shdr[" + s.index() + "].sh_addr (" + name + ") at byte 0x" + Long.toHexString(at),
                    "lies in no PT_LOAD that maps it there");
        }
    }

    private static void refused(String name, byte[] bytes, String... fragments) throws IOException {
        Path in = Tools.work("loadable").resolve(name);
        Files.write(in, bytes);
        Path out = Tools.freshWork("loadable-out/" + name);
        String m = assertThrows(ElfFormatException.class,
                () -> Checks.isolate(in, out, Checks.PREFIX)).getMessage();
        assertTrue(m.startsWith(in + ": "), m);
        for (String f : fragments) {
            assertTrue(m.contains(f), "'" + f + "' in: " + m);
        }
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of(), s.toList(), "left behind after: " + m);
        }
    }
}
