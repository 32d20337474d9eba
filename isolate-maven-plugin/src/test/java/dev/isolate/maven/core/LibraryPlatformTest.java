package dev.isolate.maven.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isolate.engine.elf.ElfBytes;
import dev.isolate.engine.elf.ElfFormatException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The byte rules of {@link LibraryPlatform}, one at a time, on {@link TinyElf} files; RealJarsTest has the real ones. */
class LibraryPlatformTest {
    private static String judge(TinyElf e) {
        byte[] b = e.bytes();
        assertTrue(LibraryPlatform.mayBePackaged(b, b.length));
        return LibraryPlatform.judge(new ElfBytes(ByteBuffer.wrap(b), "t.so")).toString();
    }

    private static String sniff(String name, byte[] head) {
        LibraryPlatform.Verdict v = LibraryPlatform.sniff(name, head, head.length);
        return v == null ? null : v.toString();
    }

    @Test
    void aGlibcLibraryOrOneThatShowsNothingElseIsTakenForItsMachine() {
        assertEquals("ELF64 x86-64 shared object -> linux-x86_64", judge(TinyElf.x86_64()));
        assertEquals("ELF64 AArch64 shared object -> linux-aarch_64", judge(TinyElf.aarch64()
                .needs("libpthread.so.0", "libc.so.6", "ld-linux-aarch64.so.1", "libstdc++.so.6")));
        assertEquals("ELF64 x86-64 shared object -> linux-x86_64", judge(TinyElf.x86_64().osabi(3).needs("libm.so.6")));
        // glibc's NT_GNU_ABI_TAG with OS 0 is Linux.
        assertEquals("ELF64 x86-64 shared object -> linux-x86_64", judge(TinyElf.x86_64().note("GNU", 1, 0)));
        assertEquals("ELF64 x86-64 shared object -> linux-x86_64", judge(TinyElf.x86_64().note("GNU", 3, 7))); // a build id
    }

    @Test
    void anotherSystemsOsAbiOrNoteIsNotForLinux() {
        assertEquals("ELF64 x86-64 shared object for FreeBSD (EI_OSABI 9): not for Linux", judge(TinyElf.x86_64().osabi(9)));
        assertEquals("ELF64 x86-64 shared object for Solaris (EI_OSABI 6): not for Linux", judge(TinyElf.x86_64().osabi(6)));
        assertEquals("ELF64 x86-64 shared object for another system (EI_OSABI 97): not for Linux", judge(TinyElf.x86_64().osabi(97)));
        assertEquals("ELF64 AArch64 shared object for FreeBSD (FreeBSD note): not for Linux",
                judge(TinyElf.aarch64().note("FreeBSD", 1, 1302001)));
        assertEquals("ELF64 AArch64 shared object for Android (Android note): not for Linux", judge(TinyElf.aarch64().note("Android", 1, 24)));
        assertEquals("ELF64 x86-64 shared object for FreeBSD (NT_GNU_ABI_TAG): not for Linux", judge(TinyElf.x86_64().note("GNU", 1, 3)));
        assertEquals("ELF64 x86-64 shared object for GNU/Hurd (NT_GNU_ABI_TAG): not for Linux", judge(TinyElf.x86_64().note("GNU", 1, 1)));
        // In an 8-aligned segment the descriptor starts at the next multiple of 8 from the note: 16 here.
        assertEquals("ELF64 x86-64 shared object for FreeBSD (NT_GNU_ABI_TAG): not for Linux",
                judge(TinyElf.x86_64().note("GNU", 1, 3).noteAlign(8)));
    }

    @Test
    void aCRuntimeThatIsNotGlibcsIsSaid() {
        assertEquals("ELF64 x86-64 shared object for Linux with musl libc (DT_NEEDED libc.musl-x86_64.so.1) -> linux-x86_64-musl",
                judge(TinyElf.x86_64().needs("libc.musl-x86_64.so.1")));
        assertEquals("ELF64 AArch64 shared object for Linux with musl libc (DT_NEEDED libc.so) -> linux-aarch_64-musl",
                judge(TinyElf.aarch64().needs("libc.so")));
        assertEquals("ELF64 AArch64 shared object for Android (DT_NEEDED libc.so): not for Linux",
                judge(TinyElf.aarch64().needs("libm.so", "libc.so", "liblog.so")));
        assertEquals("ELF64 AArch64 shared object for FreeBSD (DT_NEEDED libc.so.7): not for Linux", judge(TinyElf.aarch64().needs("libc.so.7")));
        assertEquals("ELF64 x86-64 shared object for FreeBSD (DT_NEEDED libthr.so.3): not for Linux",
                judge(TinyElf.x86_64().needs("libthr.so.3", "libc.so.7")));
        assertEquals("ELF64 x86-64 shared object for Solaris (DT_NEEDED libm.so.2): not for Linux",
                judge(TinyElf.x86_64().needs("libstdc++.so.6", "libm.so.2")));
        assertEquals("ELF64 x86-64 shared object for a C runtime that is not glibc (DT_NEEDED libc.so.99): not for glibc",
                judge(TinyElf.x86_64().needs("libc.so.99")));
    }

    @Test
    void otherFormatsAndMachinesAreNamedFromTheirFirstBytes() {
        byte[] elf32 = Arrays.copyOf(new byte[] {0x7f, 'E', 'L', 'F', 1, 1, 1, 0}, 64);
        elf32[16] = 3; // ET_DYN
        elf32[18] = 3; // EM_386
        assertEquals("ELF32 i386 shared object: not a packaged machine", sniff("libx.so", elf32));
        byte[] s390 = Arrays.copyOf(new byte[] {0x7f, 'E', 'L', 'F', 2, 2, 1, 0}, 64);
        s390[17] = 3;
        s390[19] = 22;
        assertEquals("ELF64 big-endian S/390 shared object: not a packaged machine", sniff("libx.so", s390));
        byte[] exe = TinyElf.x86_64().type(2).bytes();
        assertEquals("ELF64 x86-64 executable: not a shared object", sniff("x", exe));
        assertFalse(LibraryPlatform.mayBePackaged(exe, exe.length));
        byte[] riscv = TinyElf.x86_64().bytes();
        riscv[18] = (byte) 243;
        assertEquals("ELF64 RISC-V shared object: not a packaged machine", sniff("libx.so", riscv));
        riscv[18] = (byte) 0x99;
        assertEquals("ELF64 e_machine 153 shared object: not a packaged machine", sniff("libx.so", riscv));

        assertEquals("Mach-O x86_64 (macOS): not ELF", sniff("libx.dylib",
                new byte[] {(byte) 0xcf, (byte) 0xfa, (byte) 0xed, (byte) 0xfe, 7, 0, 0, 1}));
        assertEquals("Mach-O universal binary (macOS): not ELF", sniff("libx.jnilib",
                new byte[] {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe, 0, 0, 0, 2}));
        byte[] pe = new byte[0x90];
        pe[0] = 'M';
        pe[1] = 'Z';
        pe[0x3c] = (byte) 0x80;
        pe[0x80] = 'P';
        pe[0x81] = 'E';
        pe[0x84] = 0x64;
        pe[0x85] = (byte) 0x86;
        assertEquals("PE x86-64 (Windows): not ELF", sniff("x.dll", pe));
        assertEquals("XCOFF64 (AIX): not ELF", sniff("libx.a", new byte[] {0x01, (byte) 0xf7, 0, 0}));
        assertEquals("ar archive (a static library): not ELF", sniff("libx.a", "!<arch>\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("no known binary format (starts with 68 69): not ELF", sniff("libx.so.1", "hi".getBytes(StandardCharsets.US_ASCII)));
        // Not native and not named like a library: not worth a line (a class file starts like a universal binary).
        assertNull(sniff("a/B.class", new byte[] {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe, 0, 0, 0, 61}));
        assertNull(sniff("README.txt", "hello".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void anEightAlignedGnuPropertyNoteIsReadWhole() {
        // jffi 1.4.3's jni/aarch64-Linux/libjffi-1.2.so (BTI): its descriptor starts at 16, not 12 + pad(4, 8) = 20.
        assertEquals("ELF64 AArch64 shared object -> linux-aarch_64", judge(TinyElf.aarch64().propertyNote()));
        assertEquals("ELF64 x86-64 shared object -> linux-x86_64", judge(TinyElf.x86_64().propertyNote().needs("libc.so.6")));
    }

    @Test
    void aNoteRunningPastItsSegmentIsAFormatErrorNamingIt() {
        byte[] b = TinyElf.x86_64().note("FreeBSD", 1, 1).bytes();
        // The note's n_descsz (at the PT_NOTE's offset + 4) claims more than the segment holds.
        long noteOff = ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(64 + 56 + 8);
        ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt((int) noteOff + 4, 4096);
        ElfFormatException ex = assertThrows(ElfFormatException.class, () -> LibraryPlatform.judge(new ElfBytes(ByteBuffer.wrap(b), "t.so")));
        assertEquals("t.so: PT_NOTE at byte 0x" + Long.toHexString(noteOff) + ": note of 8+4096 bytes runs past the segment", ex.getMessage());
    }
}
