package dev.isolate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.isolate.engine.policy.Export;
import dev.isolate.engine.policy.SkipReason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every test of {@link FixturesTest} on the same C sources cross-built with {@code aarch64-linux-gnu-gcc}, the
 * outputs loaded by the aarch64 glibc under {@code qemu-aarch64}; plus the 4 KiB-page variant, which only
 * makes sense where 64 KiB is the linkers' default, and what only the aarch64 GNU ld script defines.
 */
class Aarch64FixturesTest extends FixturesTest {
    @Override
    Target target() {
        return Target.AARCH64;
    }

    @Override
    List<String> kitchenVariants() {
        List<String> v = new ArrayList<>(KITCHEN);
        v.add("4k");
        return v;
    }

    @Override
    Map<String, Long> pageSizeVariants() {
        return Map.of("4k", 0x1000L, "64k", 0x10000L, "2m", 0x200000L, "gnu", 0x10000L, "lld", 0x10000L);
    }

    /** The page check means something: a 4 KiB-linked input already shares 64 KiB pages, its output adds no such pair. */
    @Test
    void fourKiBInputSharesPagesAtSixtyFourKiBAndTheNewSegmentDoesNot() throws IOException {
        Isolated i = isolated("libkitchen-4k.so");
        assertFalse(Checks.pageProblems(Checks.loads(i.input()), target().pageSize).isEmpty(),
                "PT_LOADs of " + i.input() + " (max-page-size 0x1000) share a 64 KiB page: " + Checks.loads(i.input()));
        Checks.assertPagesRespected(i.input(), i.output(), target().pageSize);
    }

    /** GNU ld's aarch64 script PROVIDEs __bss_start__ & co.; referenced, they are exports, and linker-reserved. */
    @Test
    void armLinkerScriptNamesAreKept() throws IOException {
        Isolated i = isolated("libkitchen-gnu.so");
        List<String> syms = Checks.dynSyms(i.output());
        for (String name : List.of("__bss_start__", "__bss_end__", "_bss_end__")) {
            Export e = i.export(name);
            assertEquals(SkipReason.LINKER_RESERVED, e.reason(), "reason " + name + " is kept");
            assertNotNull(Checks.dynSym(syms, name), name + " in readelf --dyn-syms -W of " + i.output());
            assertNull(Checks.dynSym(syms, Checks.PREFIX + name), Checks.PREFIX + name + " in readelf --dyn-syms -W of " + i.output());
        }
    }
}
