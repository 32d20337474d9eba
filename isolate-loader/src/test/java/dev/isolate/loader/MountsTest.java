package dev.isolate.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountsTest {
    /** Shaped like a container's mountinfo: optional fields, a stacked mount, an escaped space. */
    static final String MOUNTINFO = """
            300 250 0:60 / / rw,relatime master:1 - overlay overlay rw,lowerdir=/l,upperdir=/u
            301 300 0:62 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw
            302 300 0:63 / /tmp rw,nosuid,nodev,noexec shared:7 master:2 - tmpfs tmpfs rw,size=65536k
            303 300 0:64 / /tmp rw,nosuid,nodev shared:8 - tmpfs tmpfs rw
            304 300 8:1 /data/with\\040space /mnt/my\\040disk rw,noexec - ext4 /dev/sda1 rw
            305 300 0:65 / /home/u/.cache rw,relatime - tmpfs cache rw
            """;

    static Mounts.Mount of(String dir) {
        return Mounts.of(Path.of(dir), MOUNTINFO).orElseThrow();
    }

    @Test
    void longestMountPointPrefixWins() {
        assertEquals("/", of("/home/u/x").mountPoint());
        assertEquals("/home/u/.cache", of("/home/u/.cache/isolate/linux-x86_64").mountPoint());
        assertEquals("/", of("/home/u/.cachex").mountPoint(), "a string prefix is not a path prefix");
        assertEquals("/proc", of("/proc/self").mountPoint());
    }

    @Test
    void theTopOfStackedMountsWins() {
        Mounts.Mount tmp = of("/tmp/isolate-u");
        assertEquals(List.of("rw", "nosuid", "nodev"), tmp.options());
        assertFalse(tmp.noexec(), "the second /tmp mount, on top, allows exec");
    }

    @Test
    void readsTheMountOptionsNotTheSuperOptionsAndSkipsOptionalFields() {
        Mounts.Mount m = of("/mnt/my disk/x");
        assertEquals("/mnt/my disk", m.mountPoint());
        assertEquals("ext4", m.fsType());
        assertEquals("/dev/sda1", m.source());
        assertTrue(m.noexec());
        assertEquals("/mnt/my disk (ext4 /dev/sda1, rw,noexec)", m.describe());
        assertFalse(of("/").noexec());
    }

    @Test
    void unescapesOctal() {
        assertEquals("a b\tc\\d", Mounts.unescape("a\\040b\\011c\\134d"));
        assertEquals("a\\9x\\04", Mounts.unescape("a\\9x\\04"), "not an escape: kept as it is");
    }

    @Test
    void ignoresLinesItCannotRead() {
        assertEquals("/", Mounts.of(Path.of("/x"), "garbage\n1 2 3\n" + MOUNTINFO.lines().findFirst().get()).get().mountPoint());
        assertTrue(Mounts.of(Path.of("/x"), "").isEmpty());
    }

    @Test
    void thisProcessesProc() {
        Mounts.Mount m = Mounts.of(Path.of("/proc/self")).orElseThrow();
        assertEquals("/proc", m.mountPoint());
        assertEquals("proc", m.fsType());
    }
}
