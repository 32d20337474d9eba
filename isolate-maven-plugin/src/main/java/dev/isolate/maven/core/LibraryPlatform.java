package dev.isolate.maven.core;

import static dev.isolate.engine.elf.Elf.DT_NEEDED;
import static dev.isolate.engine.elf.Elf.DT_STRSZ;
import static dev.isolate.engine.elf.Elf.DT_STRTAB;
import static dev.isolate.engine.elf.Elf.EI_CLASS;
import static dev.isolate.engine.elf.Elf.EI_DATA;
import static dev.isolate.engine.elf.Elf.ELFCLASS32;
import static dev.isolate.engine.elf.Elf.ELFCLASS64;
import static dev.isolate.engine.elf.Elf.ELFDATA2LSB;
import static dev.isolate.engine.elf.Elf.ELFDATA2MSB;
import static dev.isolate.engine.elf.Elf.ELFOSABI_NONE;
import static dev.isolate.engine.elf.Elf.ET_DYN;
import static dev.isolate.engine.elf.Elf.PHDR_SIZE;
import static dev.isolate.engine.elf.Elf.PT_DYNAMIC;
import static dev.isolate.engine.elf.Elf.PT_LOAD;
import static dev.isolate.engine.elf.Elf.PT_NOTE;

import dev.isolate.engine.elf.DynamicTable;
import dev.isolate.engine.elf.Elf;
import dev.isolate.engine.elf.Elf64Phdr;
import dev.isolate.engine.elf.ElfBytes;
import dev.isolate.engine.elf.ElfFormatException;
import dev.isolate.engine.elf.Notes;
import dev.isolate.engine.machine.CLibrary;
import dev.isolate.engine.machine.Machine;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a file found in a jar is, judged from its bytes and never from its path: jars name their platform
 * folders every way there is ({@code linux/amd64}, {@code Linux/x86_64}, {@code linux-x86-64},
 * {@code Linux-Musl/x86_64}, {@code android-aarch64}...), and a folder name can lie where an ELF header
 * cannot.
 *
 * <p>A platform the plugin packages ({@code linux-x86_64}, {@code linux-aarch_64}: the engine's
 * {@link Machine}s) is a Linux system with glibc, or with musl libc ({@code linux-x86_64-musl},
 * {@code linux-aarch_64-musl}: Alpine). A file is a library for one when all of these hold:
 * <ol>
 * <li>it is an ELF shared object ({@code ET_DYN}), ELFCLASS64, little-endian, of a machine the engine
 *     supports ({@code e_machine} 62 x86-64, 183 AArch64);
 * <li>its {@code EI_OSABI} is {@code ELFOSABI_NONE} (0, what almost every toolchain writes, Linux's too) or
 *     {@code ELFOSABI_GNU} (3, written when the file uses GNU extensions such as IFUNC);
 * <li>no note in a {@code PT_NOTE} segment names another system: the FreeBSD, NetBSD, OpenBSD, DragonFly
 *     and Android toolchains tag their output with a note owned by the system's name
 *     ({@code .note.tag}, {@code .note.android.ident}), and glibc's {@code NT_GNU_ABI_TAG}
 *     ({@code .note.ABI-tag}) carries an OS number of which 0 is Linux;
 * <li>no {@code DT_NEEDED} names a C runtime that is not glibc's: glibc's SONAMEs are fixed
 *     ({@code libc.so.6}, {@code libm.so.6}, {@code libpthread.so.0}...), musl's libc is
 *     {@code libc.musl-<arch>.so.1} (Alpine) or plain {@code libc.so} (so is Android's Bionic, told apart
 *     by its note or by Android's own {@code liblog.so}, {@code libandroid.so}), FreeBSD's {@code libc.so.7},
 *     Solaris's {@code libc.so.1} and {@code libm.so.2}. This is what tells sqlite-jdbc's
 *     {@code Linux-Musl} and {@code FreeBSD/aarch64} libraries and snappy-java's {@code SunOS/x86_64} one
 *     apart: they have {@code EI_OSABI} 0 and no note. A library that needs musl's libc is for the
 *     machine's musl platform.
 * </ol>
 * A file that shows no evidence either way (no note, no C runtime needed) is taken as a Linux glibc
 * library: that is what such files nearly always are, and if it is not, the same-name check of
 * {@link ArchiveEntries} reports it beside the real one.
 */
public final class LibraryPlatform {
    // EI_OSABI values (gABI, "ELF Identification")
    static final int EI_OSABI = 7;
    static final int ELFOSABI_GNU = 3;
    private static final Map<Integer, String> OSABI = Map.ofEntries(Map.entry(1, "HP-UX"), Map.entry(2, "NetBSD"),
            Map.entry(ELFOSABI_GNU, "GNU/Linux"), Map.entry(4, "GNU/Hurd"), Map.entry(6, "Solaris"), Map.entry(7, "AIX"),
            Map.entry(8, "IRIX"), Map.entry(9, "FreeBSD"), Map.entry(10, "Tru64"), Map.entry(11, "Novell Modesto"),
            Map.entry(12, "OpenBSD"), Map.entry(13, "OpenVMS"), Map.entry(14, "NonStop Kernel"), Map.entry(15, "AROS"),
            Map.entry(16, "FenixOS"), Map.entry(17, "CloudABI"), Map.entry(18, "OpenVOS"));

    /** {@code NT_GNU_ABI_TAG} in a note owned by "GNU": desc[0] is the OS (glibc's {@code elf.h}). */
    static final int NT_GNU_ABI_TAG = 1;
    private static final String[] GNU_ABI_TAG_OS = {"Linux", "GNU/Hurd", "Solaris", "FreeBSD", "NetBSD", "Syllable", "NaCl"};
    /** Note owners that are a system's name: the system's own toolchain wrote the note. */
    private static final Map<String, String> NOTE_OWNER_OS = Map.of("FreeBSD", "FreeBSD", "NetBSD", "NetBSD",
            "OpenBSD", "OpenBSD", "DragonFly", "DragonFly BSD", "Android", "Android");

    /** The C runtime libraries glibc has on x86_64 and aarch64, by SONAME. */
    private static final List<String> GLIBC_RUNTIME = List.of("libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2",
            "librt.so.1", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1");
    /** A C runtime library of some system: the libc family, FreeBSD's libthr, a dynamic loader. */
    private static final Pattern C_RUNTIME = Pattern.compile("(libc|libm|libpthread|libdl|librt|libthr)\\.so(\\..*)?|ld-.*\\.so.*"
            + "|libc\\.musl-.*");
    /** Other systems' C runtime SONAMEs, for the report. */
    private static final Map<String, String> RUNTIME_OS = Map.of("libc.so.7", "FreeBSD", "libthr.so.3", "FreeBSD",
            "libm.so.5", "FreeBSD", "libc.so.8", "DragonFly BSD", "libc.so.12", "NetBSD", "libc.so.1", "Solaris",
            "libm.so.2", "Solaris");

    private static final Map<Integer, String> MACHINE = Map.ofEntries(Map.entry(2, "SPARC"), Map.entry(3, "i386"),
            Map.entry(8, "MIPS"), Map.entry(18, "SPARC32PLUS"), Map.entry(20, "PowerPC"), Map.entry(21, "PowerPC64"),
            Map.entry(22, "S/390"), Map.entry(40, "ARM"), Map.entry(43, "SPARC V9"), Map.entry(62, "x86-64"),
            Map.entry(183, "AArch64"), Map.entry(243, "RISC-V"), Map.entry(258, "LoongArch"));
    private static final String[] E_TYPE = {"file of no type", "relocatable object", "executable", "shared object", "core dump"};

    /** Names of files that are meant to be native libraries (reported when skipped even when their bytes are unknown). */
    private static final Pattern LIBRARY_NAME = Pattern.compile(".*\\.(so(\\.[0-9]+)*|dylib|jnilib|dll|a)");

    /** The version of these rules: bump it when a verdict can change, so that remembered verdicts are judged again. */
    public static final int RULES = 2; // 2: musl libraries are packaged (linux-x86_64-musl), no longer skipped

    /** How many leading bytes {@link #sniff} looks at (a PE header is usually within the first 256 bytes). */
    public static final int HEAD = 1024;

    private LibraryPlatform() {}

    /**
     * @param platform the platform folder ({@code linux-x86_64}) when the file is a library for it, else null
     * @param what     what the file is, for the report: {@code ELF64 x86-64 shared object for FreeBSD (EI_OSABI 9)}
     * @param why      why it is not packaged ({@code not for Linux}), or null when it is
     */
    public record Verdict(String platform, String what, String why) {
        public boolean packaged() {
            return platform != null;
        }

        @Override
        public String toString() {
            return why == null ? what + " -> " + platform : what + ": " + why;
        }
    }

    /**
     * Judges a file from its first bytes. Returns null for a file that is no native binary at all (a class,
     * a text, an image) and does not have a library's name: those are not worth a line in the report.
     * For an ELF file that may be a packaged library ({@link #mayBePackaged}) the verdict is provisional:
     * {@link #judge} decides from the whole file.
     *
     * @param head the first bytes of the file, up to {@link #HEAD}
     */
    public static Verdict sniff(String name, byte[] head, int n) {
        if (n >= 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F') {
            return sniffElf(head, n);
        }
        String other = otherFormat(head, n);
        if (other != null) {
            return new Verdict(null, other, "not ELF");
        }
        if (LIBRARY_NAME.matcher(name.substring(name.lastIndexOf('/') + 1)).matches()) {
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < Math.min(n, 4); i++) {
                hex.append(String.format(" %02x", head[i] & 0xff));
            }
            return new Verdict(null, "no known binary format (starts with" + (n == 0 ? " nothing" : hex) + ")", "not ELF");
        }
        return null;
    }

    /** Whether a sniffed file is an ELF shared object of a packaged machine, so {@link #judge} must look at all of it. */
    public static boolean mayBePackaged(byte[] head, int n) {
        return n >= 20 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F' && head[EI_CLASS] == ELFCLASS64
                && head[EI_DATA] == ELFDATA2LSB && u16le(head, 16) == ET_DYN && Machine.isSupported(u16le(head, 18));
    }

    private static Verdict sniffElf(byte[] head, int n) {
        if (n < 20) {
            return new Verdict(null, "ELF file of " + n + " bytes", "truncated");
        }
        int cls = head[EI_CLASS];
        int data = head[EI_DATA];
        boolean le = data == ELFDATA2LSB;
        int type = le ? u16le(head, 16) : u16be(head, 16);
        int machine = le ? u16le(head, 18) : u16be(head, 18);
        String what = (cls == ELFCLASS64 ? "ELF64 " : cls == ELFCLASS32 ? "ELF32 " : "ELF (class " + cls + ") ")
                + (data == ELFDATA2MSB ? "big-endian " : le ? "" : "(data " + data + ") ") + machineName(machine) + " "
                + (type < E_TYPE.length ? E_TYPE[type] : "e_type " + type);
        if (cls != ELFCLASS64 || !le || !Machine.isSupported(machine)) {
            return new Verdict(null, what, "not a packaged machine");
        }
        if (type != ET_DYN) {
            return new Verdict(null, what, "not a shared object");
        }
        return new Verdict(Machine.of(machine).platform(), what, null);
    }

    /**
     * Judges an ELF64 little-endian shared object of a supported machine from all of its bytes: its OS ABI,
     * its notes, the C runtime it needs (see the class comment).
     *
     * @throws ElfFormatException if the program headers, notes or dynamic section are not where they say
     */
    public static Verdict judge(ElfBytes b) {
        int machine = b.u16(18, "Elf64_Ehdr.e_machine");
        if (b.u8(EI_CLASS, "e_ident[EI_CLASS]") != ELFCLASS64 || b.u8(EI_DATA, "e_ident[EI_DATA]") != ELFDATA2LSB
                || b.u16(16, "Elf64_Ehdr.e_type") != ET_DYN || !Machine.isSupported(machine)) {
            throw new IllegalArgumentException(b.file() + ": judge() wants an ELF64 LE shared object of a supported machine");
        }
        String platform = Machine.of(machine).platform();
        String what = "ELF64 " + machineName(machine) + " shared object";
        int osabi = b.u8(EI_OSABI, "e_ident[EI_OSABI]");
        if (osabi != ELFOSABI_NONE && osabi != ELFOSABI_GNU) {
            return new Verdict(null, what + " for " + OSABI.getOrDefault(osabi, "another system") + " (EI_OSABI " + osabi + ")",
                    "not for Linux");
        }
        List<Elf64Phdr> phdrs = phdrs(b);
        for (Elf64Phdr p : phdrs) {
            if (p.p_type() == PT_NOTE) {
                String os = noteOs(b, p);
                if (os != null) {
                    return new Verdict(null, what + " for " + os, "not for Linux");
                }
            }
        }
        List<String> needed = needed(b, phdrs);
        CLibrary.Evidence c = CLibrary.of(needed); // the engine's rule, so the manifest says the same platform
        switch (c.kind()) {
            case MUSL -> {
                return new Verdict(platform + CLibrary.MUSL_SUFFIX, what + " for Linux with musl libc (DT_NEEDED " + c.needed() + ")", null);
            }
            case BIONIC -> {
                return new Verdict(null, what + " for Android (DT_NEEDED " + c.needed() + ")", "not for Linux");
            }
            default -> { }
        }
        for (String n : needed) {
            if (C_RUNTIME.matcher(n).matches() && !GLIBC_RUNTIME.contains(n)) {
                String system = RUNTIME_OS.get(n);
                return system != null ? new Verdict(null, what + " for " + system + " (DT_NEEDED " + n + ")", "not for Linux")
                        : new Verdict(null, what + " for a C runtime that is not glibc (DT_NEEDED " + n + ")", "not for glibc");
            }
        }
        return new Verdict(platform, what, null);
    }

    private static List<Elf64Phdr> phdrs(ElfBytes b) {
        long phoff = b.u64(32, "Elf64_Ehdr.e_phoff");
        int phentsize = b.u16(54, "Elf64_Ehdr.e_phentsize");
        int phnum = b.u16(56, "Elf64_Ehdr.e_phnum");
        if (phentsize != PHDR_SIZE) {
            throw b.error("Elf64_Ehdr.e_phentsize", 54, "is " + phentsize + ", expected " + PHDR_SIZE);
        }
        b.check(phoff, (long) phnum * PHDR_SIZE, "Elf64_Phdr table");
        List<Elf64Phdr> out = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            out.add(Elf64Phdr.read(b, phoff + (long) i * PHDR_SIZE, i));
        }
        return out;
    }

    /**
     * The system a {@code PT_NOTE} segment names, or null. Each note is namesz, descsz, type (4 bytes each),
     * then the name and the descriptor, each starting at a multiple of the segment's alignment from the
     * note's start (4; 8 for the GNU property notes of an 8-aligned segment, as readelf reads them).
     */
    private static String noteOs(ElfBytes b, Elf64Phdr p) {
        for (Notes.Note n : Notes.of(b, p)) {
            String owner = n.owner();
            if (NOTE_OWNER_OS.containsKey(owner)) {
                return NOTE_OWNER_OS.get(owner) + " (" + owner + " note)";
            }
            if (owner.equals("GNU") && n.type() == NT_GNU_ABI_TAG && n.descsz() >= 4) {
                int os = (int) b.u32(n.desc(), "NT_GNU_ABI_TAG.os");
                if (os != 0) {
                    return (os < GNU_ABI_TAG_OS.length ? GNU_ABI_TAG_OS[os] : "OS " + os) + " (NT_GNU_ABI_TAG)";
                }
            }
        }
        return null;
    }

    /** The {@code DT_NEEDED} names, found as the dynamic loader finds them: PT_DYNAMIC, DT_STRTAB through PT_LOAD. */
    private static List<String> needed(ElfBytes b, List<Elf64Phdr> phdrs) {
        Elf64Phdr dyn = phdrs.stream().filter(p -> p.p_type() == PT_DYNAMIC).findFirst().orElse(null);
        if (dyn == null) {
            return List.of();
        }
        DynamicTable t = DynamicTable.read(b, dyn);
        List<Long> needed = t.all(DT_NEEDED);
        if (needed.isEmpty()) {
            return List.of();
        }
        long strAddr = t.get(DT_STRTAB);
        long strSize = t.get(DT_STRSZ);
        Elf64Phdr load = phdrs.stream().filter(p -> p.p_type() == PT_LOAD && p.p_vaddr() <= strAddr
                && strAddr - p.p_vaddr() < p.p_filesz()).findFirst().orElse(null);
        if (strAddr == -1 || strSize == -1 || load == null) {
            throw b.error("DT_STRTAB", dyn.p_offset(), "missing, or not inside a PT_LOAD segment (0x" + Long.toHexString(strAddr) + ")");
        }
        long strOff = load.p_offset() + (strAddr - load.p_vaddr());
        b.check(strOff, strSize, "DT_STRTAB");
        List<String> out = new ArrayList<>();
        for (long v : needed) {
            out.add(b.cstring(strOff + v, strOff + strSize, "DT_NEEDED"));
        }
        return out;
    }

    private static String machineName(int eMachine) {
        String n = MACHINE.get(eMachine);
        return n != null ? n : Elf.emName(eMachine).startsWith("EM_") ? Elf.emName(eMachine) : "e_machine " + eMachine;
    }

    /** Mach-O, PE, XCOFF and archives, by magic number; null for anything else. */
    private static String otherFormat(byte[] h, int n) {
        if (n < 4) {
            return null;
        }
        long be = u32be(h, 0);
        if (be == 0xfeedfaceL || be == 0xfeedfacfL || be == 0xcefaedfeL || be == 0xcffaedfeL) {
            boolean little = be == 0xcefaedfeL || be == 0xcffaedfeL;
            long cpu = n < 8 ? -1 : little ? Integer.toUnsignedLong(u16le(h, 4) | u16le(h, 6) << 16) : u32be(h, 4);
            String arch = switch ((int) cpu) {
                case 7 -> "i386";
                case 0x01000007 -> "x86_64";
                case 12 -> "arm";
                case 0x0100000c -> "arm64";
                case 18 -> "ppc";
                default -> "cputype " + cpu;
            };
            return "Mach-O " + arch + " (macOS)";
        }
        if (be == 0xcafebabeL && n >= 8 && u32be(h, 4) < 30) { // a class file has its version (>= 45) there
            return "Mach-O universal binary (macOS)";
        }
        if (h[0] == 'M' && h[1] == 'Z') {
            if (n >= 0x40) {
                long pe = Integer.toUnsignedLong(u16le(h, 0x3c) | u16le(h, 0x3e) << 16);
                if (pe + 6 <= n && h[(int) pe] == 'P' && h[(int) pe + 1] == 'E' && h[(int) pe + 2] == 0 && h[(int) pe + 3] == 0) {
                    int m = u16le(h, (int) pe + 4);
                    String arch = switch (m) {
                        case 0x14c -> "i386";
                        case 0x8664 -> "x86-64";
                        case 0xaa64 -> "ARM64";
                        case 0x1c4 -> "ARMv7 Thumb";
                        default -> String.format("machine 0x%x", m);
                    };
                    return "PE " + arch + " (Windows)";
                }
            }
            return "PE/MZ executable (Windows)";
        }
        int magic16 = u16be(h, 0);
        if (magic16 == 0x01df || magic16 == 0x01f7) {
            return (magic16 == 0x01f7 ? "XCOFF64" : "XCOFF32") + " (AIX)";
        }
        String text = new String(h, 0, Math.min(n, 8), StandardCharsets.ISO_8859_1);
        if (text.equals("<bigaf>\n")) {
            return "AIX big archive";
        }
        if (text.equals("!<arch>\n")) {
            return "ar archive (a static library)";
        }
        return null;
    }

    private static int u16le(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    private static int u16be(byte[] b, int off) {
        return (b[off] & 0xff) << 8 | (b[off + 1] & 0xff);
    }

    private static long u32be(byte[] b, int off) {
        return Integer.toUnsignedLong((b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff));
    }
}
