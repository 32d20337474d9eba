package dev.isolate.engine.elf;

import java.util.Map;

/**
 * ELF constants, named as in the gABI, the x86_64 and AArch64 psABIs and the GNU extensions. Values the
 * engine only reads stay plain integers; {@link #name} prints unknown ones in the readelf style
 * ({@code PT_LOOS+0x3}) so messages never lose information.
 */
public final class Elf {
    private Elf() {}

    // e_ident
    public static final int EI_NIDENT = 16;
    public static final int EI_CLASS = 4;
    public static final int EI_DATA = 5;
    public static final int EI_VERSION = 6;
    public static final int ELFCLASS32 = 1;
    public static final int ELFCLASS64 = 2;
    public static final int ELFDATA2LSB = 1;
    public static final int ELFDATA2MSB = 2;
    public static final int EV_CURRENT = 1;
    public static final int ELFOSABI_NONE = 0;

    // Sizes of the ELF64 records.
    public static final int EHDR_SIZE = 64;
    public static final int PHDR_SIZE = 56;
    public static final int SHDR_SIZE = 64;
    public static final int SYM_SIZE = 24;
    public static final int DYN_SIZE = 16;
    public static final int RELA_SIZE = 24;
    public static final int REL_SIZE = 16;

    // e_type
    public static final int ET_REL = 1;
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;

    // e_machine (the supported ones, and others named in messages when refused)
    public static final int EM_386 = 3;
    public static final int EM_MIPS = 8;
    public static final int EM_PPC64 = 21;
    public static final int EM_S390 = 22;
    public static final int EM_ARM = 40;
    public static final int EM_SPARCV9 = 43;
    public static final int EM_IA_64 = 50;
    public static final int EM_X86_64 = 62;
    public static final int EM_AARCH64 = 183;
    public static final int EM_RISCV = 243;
    public static final int EM_LOONGARCH = 258;
    public static final int EM_ALPHA = 0x9026;

    /**
     * The machines the reader accepts, in binutils' spelling, in the order messages list them: little-endian
     * ELF64 targets whose {@code .hash} entries are 4 bytes (s390x and alpha use 8 and are refused with every
     * other machine). What else differs between them is in {@code machine.Machine}, one constant for each.
     */
    private static final int[] MACHINES = {EM_X86_64, EM_AARCH64};
    private static final String[] MACHINE_NAMES = {"x86_64", "aarch64"};

    public static boolean isSupportedMachine(int eMachine) {
        return machineName(eMachine) != null;
    }

    /** {@code x86_64}, {@code aarch64}: the name binutils and Debian use, or null for a machine the reader refuses. */
    public static String machineName(int eMachine) {
        for (int i = 0; i < MACHINES.length; i++) {
            if (MACHINES[i] == eMachine) {
                return MACHINE_NAMES[i];
            }
        }
        return null;
    }

    /** {@code x86_64 (62), aarch64 (183)}, for messages. */
    public static String supportedMachines() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < MACHINES.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(MACHINE_NAMES[i]).append(" (").append(MACHINES[i]).append(')');
        }
        return sb.toString();
    }

    // p_type
    public static final int PT_NULL = 0;
    public static final int PT_LOAD = 1;
    public static final int PT_DYNAMIC = 2;
    public static final int PT_INTERP = 3;
    public static final int PT_NOTE = 4;
    public static final int PT_PHDR = 6;
    public static final int PT_TLS = 7;
    public static final int PT_GNU_EH_FRAME = 0x6474e550;
    public static final int PT_GNU_STACK = 0x6474e551;
    public static final int PT_GNU_RELRO = 0x6474e552;
    public static final int PT_GNU_PROPERTY = 0x6474e553;

    // p_flags
    public static final int PF_X = 1;
    public static final int PF_W = 2;
    public static final int PF_R = 4;

    // sh_type
    public static final int SHT_NULL = 0;
    public static final int SHT_PROGBITS = 1;
    public static final int SHT_SYMTAB = 2;
    public static final int SHT_STRTAB = 3;
    public static final int SHT_RELA = 4;
    public static final int SHT_HASH = 5;
    public static final int SHT_DYNAMIC = 6;
    public static final int SHT_NOTE = 7;
    public static final int SHT_NOBITS = 8;
    public static final int SHT_REL = 9;
    public static final int SHT_DYNSYM = 11;
    public static final int SHT_INIT_ARRAY = 14;
    public static final int SHT_FINI_ARRAY = 15;
    public static final int SHT_RELR = 19;
    public static final int SHT_GNU_HASH = 0x6ffffff6;
    public static final int SHT_GNU_VERDEF = 0x6ffffffd;
    public static final int SHT_GNU_VERNEED = 0x6ffffffe;
    public static final int SHT_GNU_VERSYM = 0x6fffffff;

    // sh_flags
    public static final long SHF_WRITE = 0x1;
    public static final long SHF_ALLOC = 0x2;
    public static final long SHF_EXECINSTR = 0x4;
    public static final long SHF_INFO_LINK = 0x40;
    public static final long SHF_TLS = 0x400;

    // Special section indices
    public static final int SHN_UNDEF = 0;
    public static final int SHN_LORESERVE = 0xff00;
    public static final int SHN_ABS = 0xfff1;
    public static final int SHN_COMMON = 0xfff2;
    public static final int SHN_XINDEX = 0xffff;

    // st_info binding
    public static final int STB_LOCAL = 0;
    public static final int STB_GLOBAL = 1;
    public static final int STB_WEAK = 2;
    public static final int STB_GNU_UNIQUE = 10;

    // st_info type
    public static final int STT_NOTYPE = 0;
    public static final int STT_OBJECT = 1;
    public static final int STT_FUNC = 2;
    public static final int STT_SECTION = 3;
    public static final int STT_FILE = 4;
    public static final int STT_COMMON = 5;
    public static final int STT_TLS = 6;
    public static final int STT_GNU_IFUNC = 10;

    // st_other visibility
    public static final int STV_DEFAULT = 0;
    public static final int STV_INTERNAL = 1;
    public static final int STV_HIDDEN = 2;
    public static final int STV_PROTECTED = 3;

    // d_tag
    public static final long DT_NULL = 0;
    public static final long DT_NEEDED = 1;
    public static final long DT_PLTRELSZ = 2;
    public static final long DT_PLTGOT = 3;
    public static final long DT_HASH = 4;
    public static final long DT_STRTAB = 5;
    public static final long DT_SYMTAB = 6;
    public static final long DT_RELA = 7;
    public static final long DT_RELASZ = 8;
    public static final long DT_RELAENT = 9;
    public static final long DT_STRSZ = 10;
    public static final long DT_SYMENT = 11;
    public static final long DT_INIT = 12;
    public static final long DT_FINI = 13;
    public static final long DT_SONAME = 14;
    public static final long DT_RPATH = 15;
    public static final long DT_REL = 17;
    public static final long DT_RELSZ = 18;
    public static final long DT_RELENT = 19;
    public static final long DT_PLTREL = 20;
    public static final long DT_JMPREL = 23;
    public static final long DT_TEXTREL = 22;
    public static final long DT_INIT_ARRAY = 25;
    public static final long DT_FINI_ARRAY = 26;
    public static final long DT_INIT_ARRAYSZ = 27;
    public static final long DT_FINI_ARRAYSZ = 28;
    public static final long DT_FLAGS = 30;
    public static final long DT_PREINIT_ARRAY = 32;
    public static final long DT_FLAGS_1 = 0x6ffffffbL;
    // DT_FLAGS and DT_FLAGS_1 bits
    public static final long DF_TEXTREL = 0x4;
    public static final long DF_BIND_NOW = 0x8;
    public static final long DF_STATIC_TLS = 0x10;
    public static final long DF_1_NOW = 0x1;
    public static final long DF_1_NODELETE = 0x8;
    public static final long DT_RUNPATH = 29;
    public static final long DT_AUXILIARY = 0x7ffffffdL;
    public static final long DT_FILTER = 0x7fffffffL;
    public static final long DT_CONFIG = 0x6ffffefaL;
    public static final long DT_DEPAUDIT = 0x6ffffefbL;
    public static final long DT_AUDIT = 0x6ffffefcL;
    public static final long DT_RELRSZ = 35;
    public static final long DT_RELR = 36;
    public static final long DT_GNU_HASH = 0x6ffffef5L;
    public static final long DT_RELACOUNT = 0x6ffffff9L;
    public static final long DT_RELCOUNT = 0x6ffffffaL;
    public static final long DT_VERSYM = 0x6ffffff0L;
    public static final long DT_VERDEF = 0x6ffffffcL;
    public static final long DT_VERDEFNUM = 0x6ffffffdL;
    public static final long DT_VERNEED = 0x6ffffffeL;
    public static final long DT_VERNEEDNUM = 0x6fffffffL;

    // Symbol versioning
    public static final int VER_FLG_BASE = 0x1;
    public static final int VER_NDX_LOCAL = 0;
    public static final int VER_NDX_GLOBAL = 1;
    public static final int VERSYM_HIDDEN = 0x8000;
    public static final int VERSYM_VERSION = 0x7fff;

    // Notes (gABI) and GNU program properties (the x86_64 and AArch64 psABIs)
    public static final int NOTE_HEADER_SIZE = 12;
    public static final int NT_GNU_PROPERTY_TYPE_0 = 5;
    public static final int GNU_PROPERTY_X86_FEATURE_1_AND = 0xc0000002;
    public static final int GNU_PROPERTY_X86_FEATURE_1_IBT = 0x1;
    public static final int GNU_PROPERTY_X86_FEATURE_1_SHSTK = 0x2;
    public static final int GNU_PROPERTY_AARCH64_FEATURE_1_AND = 0xc0000000;
    public static final int GNU_PROPERTY_AARCH64_FEATURE_1_BTI = 0x1;
    public static final int GNU_PROPERTY_AARCH64_FEATURE_1_PAC = 0x2;

    // Relocation types (x86_64 psABI)
    public static final long R_X86_64_NONE = 0;
    public static final long R_X86_64_64 = 1;
    public static final int R_X86_64_PLT32 = 4;
    public static final long R_X86_64_COPY = 5;
    public static final long R_X86_64_GLOB_DAT = 6;
    public static final long R_X86_64_JUMP_SLOT = 7;
    public static final long R_X86_64_RELATIVE = 8;
    public static final long R_X86_64_DTPMOD64 = 16;
    public static final long R_X86_64_DTPOFF64 = 17;
    public static final long R_X86_64_TPOFF64 = 18;
    public static final long R_X86_64_TLSDESC = 36;
    public static final long R_X86_64_IRELATIVE = 37;
    public static final int R_AARCH64_JUMP26 = 282;

    public static int stInfo(int bind, int type) {
        return (bind << 4) | (type & 0xf);
    }

    public static int stBind(int info) {
        return info >>> 4;
    }

    public static int stType(int info) {
        return info & 0xf;
    }

    public static int stVisibility(int other) {
        return other & 0x3;
    }

    public static long rSym(long info) {
        return info >>> 32;
    }

    public static long rType(long info) {
        return info & 0xffffffffL;
    }

    public static long rInfo(long sym, long type) {
        return (sym << 32) | (type & 0xffffffffL);
    }

    private static final Map<Long, String> PT = Map.ofEntries(
            Map.entry((long) PT_NULL, "PT_NULL"), Map.entry((long) PT_LOAD, "PT_LOAD"),
            Map.entry((long) PT_DYNAMIC, "PT_DYNAMIC"), Map.entry((long) PT_INTERP, "PT_INTERP"),
            Map.entry((long) PT_NOTE, "PT_NOTE"), Map.entry((long) PT_PHDR, "PT_PHDR"),
            Map.entry((long) PT_TLS, "PT_TLS"), Map.entry((long) PT_GNU_EH_FRAME, "PT_GNU_EH_FRAME"),
            Map.entry((long) PT_GNU_STACK, "PT_GNU_STACK"), Map.entry((long) PT_GNU_RELRO, "PT_GNU_RELRO"),
            Map.entry((long) PT_GNU_PROPERTY, "PT_GNU_PROPERTY"));
    private static final Map<Long, String> EM = Map.ofEntries(
            Map.entry((long) EM_386, "EM_386"), Map.entry((long) EM_MIPS, "EM_MIPS"), Map.entry((long) EM_PPC64, "EM_PPC64"),
            Map.entry((long) EM_S390, "EM_S390"), Map.entry((long) EM_ARM, "EM_ARM"), Map.entry((long) EM_SPARCV9, "EM_SPARCV9"),
            Map.entry((long) EM_IA_64, "EM_IA_64"), Map.entry((long) EM_X86_64, "EM_X86_64"),
            Map.entry((long) EM_AARCH64, "EM_AARCH64"), Map.entry((long) EM_RISCV, "EM_RISCV"),
            Map.entry((long) EM_LOONGARCH, "EM_LOONGARCH"), Map.entry((long) EM_ALPHA, "EM_ALPHA"));
    private static final Map<Long, String> STB = Map.of(
            (long) STB_LOCAL, "LOCAL", (long) STB_GLOBAL, "GLOBAL", (long) STB_WEAK, "WEAK",
            (long) STB_GNU_UNIQUE, "GNU_UNIQUE");
    private static final Map<Long, String> STT = Map.of(
            (long) STT_NOTYPE, "NOTYPE", (long) STT_OBJECT, "OBJECT", (long) STT_FUNC, "FUNC",
            (long) STT_SECTION, "SECTION", (long) STT_FILE, "FILE", (long) STT_COMMON, "COMMON",
            (long) STT_TLS, "TLS", (long) STT_GNU_IFUNC, "GNU_IFUNC");
    private static final Map<Long, String> STV = Map.of(
            (long) STV_DEFAULT, "DEFAULT", (long) STV_INTERNAL, "INTERNAL", (long) STV_HIDDEN, "HIDDEN",
            (long) STV_PROTECTED, "PROTECTED");

    public static String ptName(long v) {
        return name(PT, "PT_", v, 0x60000000L);
    }

    /** {@code EM_RISCV}, or the number when the table does not know it. */
    public static String emName(int v) {
        return name(EM, "EM_", v, Long.MAX_VALUE);
    }

    public static String stbName(int v) {
        return name(STB, "STB_", v, 10);
    }

    public static String sttName(int v) {
        return name(STT, "STT_", v, 10);
    }

    public static String stvName(int v) {
        return name(STV, "STV_", v, 4);
    }

    /** A known value's spec name, else {@code PREFIXLOOS+0x..} for OS-specific values, else hex. */
    static String name(Map<Long, String> table, String prefix, long v, long loos) {
        String n = table.get(v);
        if (n != null) {
            return n;
        }
        if (v >= loos) {
            return prefix + "LOOS+0x" + Long.toHexString(v - loos);
        }
        return "0x" + Long.toHexString(v);
    }
}
