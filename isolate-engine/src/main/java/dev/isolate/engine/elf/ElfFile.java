package dev.isolate.engine.elf;

import static dev.isolate.engine.elf.Elf.*;

import dev.isolate.engine.common.Trace;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A parsed ELF64 little-endian shared library. Everything the rewrite needs is found from the dynamic
 * segment ({@code PT_DYNAMIC} and its {@code DT_*} tags), as the dynamic loader does; section headers,
 * when present, are cross-checked against it and must agree, because the rewrite updates both.
 *
 * <p>No count read from the file sizes an allocation before the bytes it describes are known to be there.
 */
public final class ElfFile {
    public final ElfBytes bytes;
    public final Elf64Ehdr ehdr;
    public final List<Elf64Phdr> phdrs;
    public final List<Elf64Shdr> shdrs;
    public final DynamicTable dynamic;

    /** A table found through the dynamic segment: where it is in memory and in the file, and its section if any. */
    public record Table(String name, long addr, long offset, long size, int shndx) {
        public long end() {
            return offset + size;
        }
    }

    public final Table dynstr;
    public final Table dynsym;
    public final Table gnuHash; // may be null
    public final Table sysvHash; // may be null
    public final Table versym; // may be null
    public final Table verdefTable; // may be null
    public final Table verneedTable; // may be null
    /** Relocation tables whose r_info indexes {@code .dynsym}, merged so no entry is listed twice. */
    public final List<Table> dynRelocs;

    /** The input's {@code .dynstr}, copied once: names are parsed from it and the rewrite keeps it. */
    public final byte[] dynstrBytes;
    public final Elf64Sym[] syms;
    /** Names decoded so far, by symbol index (see {@link #name}); most runs need few of them, or none. */
    private final String[] names;
    /** {@code .gnu.version} entries, one per symbol, or null. */
    public final int[] versions;
    private final String[] versionNames;
    public final List<Verdef> verdefs;
    public final List<Verneed> verneeds;
    /** First hashed symbol of {@code .gnu.hash}, or the symbol count when there is none. */
    public final int gnuSymoffset;
    public final int sysvNbucket;
    public final String soname; // may be null
    public final List<String> needed;

    /** Maps the file read-only; only the pages actually read become resident. */
    public static ElfFile read(Path path) throws IOException {
        long[] t = Trace.start();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new ElfFormatException(path.toString(), "file", "larger than 2 GiB (" + size + " bytes)");
            }
            ByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return new ElfFile(new ElfBytes(map, path.toString(), path));
        } finally {
            Trace.end("read " + path.getFileName(), t);
        }
    }

    public static ElfFile read(byte[] data, String name) {
        return new ElfFile(new ElfBytes(ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN), name));
    }

    private ElfFile(ElfBytes b) {
        this.bytes = b;
        this.ehdr = readEhdr(b);
        this.phdrs = readPhdrs(b, ehdr);
        List<Elf64Shdr> sh = readShdrs(b, ehdr, maxLoadAlign(phdrs));
        Elf64Phdr dynPhdr = null;
        for (Elf64Phdr p : phdrs) {
            if (p.p_type() == PT_DYNAMIC) {
                dynPhdr = p;
            }
        }
        if (dynPhdr == null) {
            throw b.error("Elf64_Phdr", ehdr.e_phoff(), "no PT_DYNAMIC: not a dynamically linked shared library");
        }
        this.dynamic = DynamicTable.read(b, dynPhdr);

        long strAddr = require(DT_STRTAB);
        long strSize = require(DT_STRSZ);
        this.dynstr = table("DT_STRTAB", strAddr, strSize, sh, SHT_STRTAB);
        long syment = dynamic.get(DT_SYMENT);
        if (syment != -1 && syment != SYM_SIZE) {
            throw b.error("DT_SYMENT", dynamic.offset(), "is " + syment + ", expected " + SYM_SIZE);
        }
        long symAddr = require(DT_SYMTAB);
        long symOff = offsetOf(symAddr, 0, "DT_SYMTAB");

        long gnuAddr = dynamic.get(DT_GNU_HASH);
        long sysvAddr = dynamic.get(DT_HASH);
        int count = -1;
        int nbucketSysv = 0;
        long sysvSize = 0;
        if (sysvAddr != -1) {
            long off = offsetOf(sysvAddr, 8, "DT_HASH");
            nbucketSysv = (int) checkCount(b.u32(off, "DT_HASH.nbucket"), 4, off, "DT_HASH.nbucket");
            long nchain = checkCount(b.u32(off + 4, "DT_HASH.nchain"), 4, off + 4, "DT_HASH.nchain");
            sysvSize = 8 + 4L * nbucketSysv + 4L * nchain;
            b.check(off, sysvSize, "DT_HASH");
            count = (int) nchain;
        }
        int symoffset = -1;
        long gnuSize = 0;
        boolean gnuEmpty = false;
        if (gnuAddr != -1) {
            long off = offsetOf(gnuAddr, 16, "DT_GNU_HASH");
            long nbuckets = b.u32(off, "DT_GNU_HASH.nbuckets");
            symoffset = (int) checkCount(b.u32(off + 4, "DT_GNU_HASH.symoffset"), SYM_SIZE, off + 4, "DT_GNU_HASH.symoffset");
            long bloomSize = b.u32(off + 8, "DT_GNU_HASH.bloom_size");
            long header = 16 + 8 * bloomSize + 4 * nbuckets;
            b.check(off, header, "DT_GNU_HASH buckets");
            long bucketsOff = off + 16 + 8 * bloomSize;
            long maxSym = 0;
            for (long i = 0; i < nbuckets; i++) { // inside the range checked above: no name per bucket needed
                maxSym = Math.max(maxSym, b.u32(bucketsOff + 4 * i, "DT_GNU_HASH.buckets"));
            }
            long chainsOff = bucketsOff + 4 * nbuckets;
            // A table whose buckets are all empty hashes no symbol (GNU ld writes symoffset 1 for a library
            // that exports nothing, with its imports after it): it says nothing about the symbol count.
            int gnuCount;
            if (maxSym == 0) {
                gnuCount = -1;
                gnuEmpty = true;
            } else {
                if (maxSym < symoffset) {
                    throw b.error("DT_GNU_HASH.buckets", bucketsOff, "bucket " + maxSym + " below symoffset " + symoffset);
                }
                long i = maxSym;
                while ((b.u32(chainsOff + 4 * (i - symoffset), "DT_GNU_HASH.chains[" + (i - symoffset) + "]") & 1) == 0) {
                    i++;
                }
                gnuCount = (int) checkCount(i + 1, SYM_SIZE, chainsOff, "DT_GNU_HASH chains");
            }
            gnuSize = header + (gnuEmpty ? 0 : 4L * (gnuCount - symoffset));
            if (gnuEmpty) {
                // sized below, by DT_HASH or the section header, else by symoffset alone
            } else if (count == -1) {
                count = gnuCount;
            } else if (count != gnuCount) {
                throw b.error("DT_GNU_HASH", off, "describes " + gnuCount + " symbols but DT_HASH.nchain says " + count);
            }
        }
        Table symSection = findSection(sh, SHT_DYNSYM, symAddr);
        if (symSection != null) {
            if (symSection.size() % SYM_SIZE != 0) {
                throw b.error(shdrName(symSection.shndx()) + ".sh_size", shOff(symSection.shndx()) + 32,
                        symSection.size() + " is not a multiple of " + SYM_SIZE);
            }
            int shCount = (int) checkCount(symSection.size() / SYM_SIZE, SYM_SIZE, symOff, ".dynsym");
            if (count == -1) {
                count = shCount;
            } else if (count != shCount) {
                throw b.error(shdrName(symSection.shndx()) + ".sh_size", shOff(symSection.shndx()) + 32,
                        "says " + shCount + " symbols but the hash tables describe " + count);
            }
        }
        if (count == -1 && gnuEmpty) {
            count = symoffset;
        }
        if (count == -1) {
            throw b.error("PT_DYNAMIC", dynamic.offset(), "neither DT_HASH nor DT_GNU_HASH nor a .dynsym section header: cannot size the symbol table");
        }
        if (count == 0) {
            // A linker always writes the null symbol first. An empty table (an empty .gnu.hash with symoffset 0 said so,
            // found by the fuzzer) has no size to move with the tables after the program header table.
            throw b.error("DT_SYMTAB", symOff, "holds no symbol, not even the null symbol (index 0) every .dynsym begins with");
        }
        this.dynsym = table("DT_SYMTAB", symAddr, (long) count * SYM_SIZE, sh, SHT_DYNSYM);
        // Where nothing is hashed, the rewritten table hashes nothing either: every symbol is below symoffset.
        this.gnuSymoffset = symoffset == -1 || gnuEmpty ? count : symoffset;
        if (symoffset > count) {
            throw b.error("DT_GNU_HASH.symoffset", offsetOf(gnuAddr, 8, "DT_GNU_HASH") + 4, symoffset + " exceeds the symbol count " + count);
        }
        this.gnuHash = gnuAddr == -1 ? null : table("DT_GNU_HASH", gnuAddr, gnuSize, sh, SHT_GNU_HASH);
        this.sysvHash = sysvAddr == -1 ? null : table("DT_HASH", sysvAddr, sysvSize, sh, SHT_HASH);
        this.sysvNbucket = nbucketSysv;

        // Symbols and their names.
        this.dynstrBytes = b.bytes(dynstr.offset(), dynstr.size(), "DT_STRTAB");
        this.syms = new Elf64Sym[count];
        this.names = new String[count];
        readSymbols(b.slice(dynsym.offset(), dynsym.size(), "DT_SYMTAB"));

        long versymAddr = dynamic.get(DT_VERSYM);
        if (versymAddr != -1) {
            this.versym = table("DT_VERSYM", versymAddr, 2L * count, sh, SHT_GNU_VERSYM);
            this.versions = new int[count];
            short[] v = new short[count];
            b.slice(versym.offset(), versym.size(), "DT_VERSYM").asShortBuffer().get(v);
            for (int i = 0; i < count; i++) {
                versions[i] = v[i] & 0xffff;
            }
        } else {
            this.versym = null;
            this.versions = null;
        }
        List<Verdef> vd = new ArrayList<>();
        this.verdefTable = readVerdefs(sh, vd);
        this.verdefs = Collections.unmodifiableList(vd);
        List<Verneed> vn = new ArrayList<>();
        this.verneedTable = readVerneeds(sh, vn);
        this.verneeds = Collections.unmodifiableList(vn);
        this.versionNames = versionNames();

        long sonameOff = dynamic.get(DT_SONAME);
        this.soname = sonameOff == -1 ? null : dynString(sonameOff, "DT_SONAME", dynValueOffset(DT_SONAME, sonameOff));
        List<String> need = new ArrayList<>();
        for (long n : dynamic.all(DT_NEEDED)) {
            need.add(dynString(n, "DT_NEEDED", dynValueOffset(DT_NEEDED, n)));
        }
        this.needed = List.copyOf(need);
        this.dynRelocs = readRelocs(sh);
        this.shdrs = List.copyOf(sh);
        crossCheckDynamicSection();
        checkDynamicStrings();
        checkLinks();
        checkDisjoint();
        checkDefinedVersions(); // after checkDisjoint: a versym table aimed into the headers is the first fault to name
    }

    /**
     * Fills {@link #syms} and checks every name: its offset lies inside {@code .dynstr} and a NUL ends
     * it there. Names are decoded only when asked for ({@link #name}). A method of its own, and the
     * entries copied out as words at once: this loop runs over every symbol (45k in libLLVM) once, in
     * a cold JVM, and a small method is compiled (on-stack replacement) within a few thousand iterations.
     */
    private void readSymbols(ByteBuffer symBuf) {
        long[] w = new long[3 * syms.length];
        symBuf.asLongBuffer().get(w);
        byte[] t = dynstrBytes;
        // A table that ends in a NUL (as every linker writes it) ends every string inside it: then only
        // the offsets need checking, not 3 MB of names scanned for their ends.
        boolean terminated = t.length > 0 && t[t.length - 1] == 0;
        for (int i = 0; i < syms.length; i++) {
            Elf64Sym s = Elf64Sym.of(w[3 * i], w[3 * i + 1], w[3 * i + 2]);
            syms[i] = s;
            long off = s.st_name();
            if (off != 0 && (off >= t.length || !terminated)) {
                stringEnd(off, "Elf64_Sym[", i, "].st_name", dynsym.offset() + (long) SYM_SIZE * i); // fails with the file, structure and offset
            }
        }
    }

    /** The name of symbol {@code i} ({@code ""} when its {@code st_name} is 0), decoded once. */
    public String name(int i) {
        String n = names[i];
        if (n == null) {
            long off = syms[i].st_name();
            n = off == 0 ? "" : new String(dynstrBytes, (int) off, nameEnd(i) - (int) off, StandardCharsets.ISO_8859_1);
            names[i] = n;
        }
        return n;
    }

    /** Whether the name of symbol {@code i} starts with {@code prefix} (bytes without a NUL), without decoding it. */
    public boolean nameStartsWith(int i, byte[] prefix) {
        long off = syms[i].st_name();
        if (off == 0) {
            return prefix.length == 0;
        }
        byte[] t = dynstrBytes;
        // Stops at the name's NUL (no prefix byte is NUL), so it never reads past it.
        for (int k = 0; k < prefix.length; k++) {
            if (off + k >= t.length || t[(int) off + k] != prefix[k]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Where the name of symbol {@code i} ends in {@link #dynstrBytes} (the offset of its NUL); its bytes
     * are {@code [syms[i].st_name(), nameEnd(i))}, empty when {@code st_name} is 0. For comparing and
     * hashing names as bytes, without decoding them.
     */
    public int nameEnd(int i) {
        long off = syms[i].st_name();
        return off == 0 ? 0 : stringEnd(off, "Elf64_Sym[", i, "].st_name", dynsym.offset() + (long) SYM_SIZE * i);
    }

    // ---------------------------------------------------------------- headers

    private static Elf64Ehdr readEhdr(ElfBytes b) {
        if (b.size() < 4 || b.u8(0, "e_ident") != 0x7f || b.u8(1, "e_ident") != 'E' || b.u8(2, "e_ident") != 'L'
                || b.u8(3, "e_ident") != 'F') {
            throw b.error("e_ident[EI_MAG]", 0, "not an ELF file (no \\x7fELF magic)");
        }
        b.check(0, EHDR_SIZE, "Elf64_Ehdr");
        int cls = b.u8(EI_CLASS, "e_ident[EI_CLASS]");
        if (cls != ELFCLASS64) {
            throw b.error("e_ident[EI_CLASS]", EI_CLASS, cls == ELFCLASS32 ? "32-bit ELF (ELFCLASS32) is not supported, only ELFCLASS64" : "unknown class " + cls);
        }
        int data = b.u8(EI_DATA, "e_ident[EI_DATA]");
        if (data != ELFDATA2LSB) {
            throw b.error("e_ident[EI_DATA]", EI_DATA, data == ELFDATA2MSB ? "big-endian ELF is not supported, only ELFDATA2LSB" : "unknown data encoding " + data);
        }
        int ver = b.u8(EI_VERSION, "e_ident[EI_VERSION]");
        if (ver != EV_CURRENT) {
            throw b.error("e_ident[EI_VERSION]", EI_VERSION, "unknown version " + ver);
        }
        Elf64Ehdr h = new Elf64Ehdr(b.bytes(0, EI_NIDENT, "e_ident"), b.u16(16, "e_type"), b.u16(18, "e_machine"),
                b.u32(20, "e_version"), b.u64(24, "e_entry"), b.u64(32, "e_phoff"), b.u64(40, "e_shoff"),
                b.u32(48, "e_flags"), b.u16(52, "e_ehsize"), b.u16(54, "e_phentsize"), b.u16(56, "e_phnum"),
                b.u16(58, "e_shentsize"), b.u16(60, "e_shnum"), b.u16(62, "e_shstrndx"));
        if (h.e_type() != ET_DYN) {
            throw b.error("Elf64_Ehdr.e_type", 16, "is " + h.e_type() + ", expected ET_DYN (3): only shared libraries are rewritten");
        }
        if (!isSupportedMachine(h.e_machine())) {
            String known = emName(h.e_machine());
            throw b.error("Elf64_Ehdr.e_machine", 18, "machine " + h.e_machine() + (known.startsWith("EM_") ? " (" + known + ")" : "")
                    + " is not supported (supported: " + supportedMachines() + ")");
        }
        if (h.e_phentsize() != PHDR_SIZE) {
            throw b.error("Elf64_Ehdr.e_phentsize", 54, "is " + h.e_phentsize() + ", expected " + PHDR_SIZE);
        }
        if (h.e_phoff() < EHDR_SIZE || h.e_phnum() == 0) {
            throw b.error("Elf64_Ehdr.e_phoff", 32, "no program header table (e_phoff " + h.e_phoff() + ", e_phnum " + h.e_phnum() + ")");
        }
        return h;
    }

    /**
     * The addresses a segment may have: a process's user address space on x86_64 and aarch64 (48-bit virtual
     * addresses, the lower half). A PT_LOAD beyond it, or aligned to more than it, no loader can map.
     */
    public static final long ADDRESS_LIMIT = 1L << 47;

    private static long maxLoadAlign(List<Elf64Phdr> phdrs) {
        long a = 1;
        for (Elf64Phdr p : phdrs) {
            if (p.p_type() == PT_LOAD) {
                a = Math.max(a, p.p_align());
            }
        }
        return a;
    }

    private static List<Elf64Phdr> readPhdrs(ElfBytes b, Elf64Ehdr h) {
        b.check(h.e_phoff(), (long) h.e_phnum() * PHDR_SIZE, "Elf64_Phdr table");
        List<Elf64Phdr> out = new ArrayList<>(h.e_phnum());
        long lastLoad = Long.MIN_VALUE;
        for (int i = 0; i < h.e_phnum(); i++) {
            Elf64Phdr p = Elf64Phdr.read(b, h.e_phoff() + (long) i * PHDR_SIZE, i);
            String s = "Elf64_Phdr[" + i + "]";
            long at = h.e_phoff() + (long) i * PHDR_SIZE;
            if (p.p_type() == PT_LOAD) {
                if (p.p_filesz() < 0 || p.p_memsz() < p.p_filesz()) {
                    throw b.error(s + ".p_memsz", at + 40, "p_memsz 0x" + Long.toHexString(p.p_memsz()) + " < p_filesz 0x" + Long.toHexString(p.p_filesz()));
                }
                b.check(p.p_offset(), p.p_filesz(), s + " (PT_LOAD file image)");
                if (p.p_align() > 1 && (Long.bitCount(p.p_align()) != 1 || (p.p_vaddr() - p.p_offset()) % p.p_align() != 0)) {
                    throw b.error(s + ".p_align", at + 48, "0x" + Long.toHexString(p.p_align()) + " is not a power of two congruent with p_vaddr - p_offset");
                }
                if (p.p_align() > ADDRESS_LIMIT) {
                    throw b.error(s + ".p_align", at + 48, "0x" + Long.toHexString(p.p_align())
                            + " is larger than the address space a process has (2^47 bytes)");
                }
                if (p.p_vaddr() < lastLoad) {
                    throw b.error(s + ".p_vaddr", at + 16, "PT_LOAD segments are not sorted by p_vaddr");
                }
                if (p.p_memsz() > ADDRESS_LIMIT || p.p_vaddr() < 0 || p.p_vaddr() > ADDRESS_LIMIT) {
                    throw b.error(s + ".p_vaddr", at + 16, "address range out of bounds");
                }
                lastLoad = p.p_vaddr();
            } else if (p.p_type() == PT_DYNAMIC || p.p_type() == PT_NOTE || p.p_type() == PT_INTERP) {
                b.check(p.p_offset(), p.p_filesz(), s + " (" + ptName(p.p_type()) + ")");
            }
            out.add(p);
        }
        if (out.stream().noneMatch(p -> p.p_type() == PT_LOAD)) {
            throw b.error("Elf64_Phdr table", h.e_phoff(), "no PT_LOAD segment");
        }
        return out;
    }

    private static List<Elf64Shdr> readShdrs(ElfBytes b, Elf64Ehdr h, long maxLoadAlign) {
        if (h.e_shoff() == 0) {
            return new ArrayList<>();
        }
        if (h.e_shentsize() != SHDR_SIZE) {
            throw b.error("Elf64_Ehdr.e_shentsize", 58, "is " + h.e_shentsize() + ", expected " + SHDR_SIZE);
        }
        long n = h.e_shnum();
        if (n == 0) { // extended numbering: the count lives in section 0
            n = b.u64(h.e_shoff() + 32, "Elf64_Shdr[0].sh_size");
        }
        if (n < 0 || n > b.size() / SHDR_SIZE) {
            throw b.error("Elf64_Ehdr.e_shnum", 60, n + " section headers cannot fit in a file of " + b.size() + " bytes");
        }
        b.check(h.e_shoff(), n * SHDR_SIZE, "Elf64_Shdr table");
        List<Elf64Shdr> out = new ArrayList<>((int) n);
        for (int i = 0; i < n; i++) {
            long at = h.e_shoff() + (long) i * SHDR_SIZE;
            Elf64Shdr s = Elf64Shdr.read(b, at, i);
            String name = "Elf64_Shdr[" + i + "]";
            if (i > 0 && s.sh_link() >= n) {
                throw b.error(name + ".sh_link", at + 40, s.sh_link() + " is not a section index (e_shnum " + n + ")");
            }
            if (((s.sh_flags() & SHF_INFO_LINK) != 0 || s.sh_type() == SHT_REL || s.sh_type() == SHT_RELA)
                    && s.sh_info() >= n) {
                throw b.error(name + ".sh_info", at + 44, s.sh_info() + " is not a section index (e_shnum " + n + ")");
            }
            if (s.sh_type() != SHT_NOBITS && s.sh_type() != SHT_NULL) {
                b.check(s.sh_offset(), s.sh_size(), name + " contents (sh_offset 0x" + Long.toHexString(s.sh_offset()) + ", sh_size 0x" + Long.toHexString(s.sh_size()) + ")");
            }
            if (s.sh_addralign() < 0 || (s.sh_addralign() > 1 && Long.bitCount(s.sh_addralign()) != 1)) {
                throw b.error(name + ".sh_addralign", at + 48, "0x" + Long.toHexString(s.sh_addralign()) + " is not a power of two");
            }
            // The loader aligns nothing finer than a segment: an allocated section aligned past every PT_LOAD's
            // p_align cannot have been honoured, and would make the moved tables' padding absurd.
            if (s.isAlloc() && s.sh_addralign() > maxLoadAlign) {
                throw b.error(name + ".sh_addralign", at + 48, "0x" + Long.toHexString(s.sh_addralign())
                        + " exceeds the largest PT_LOAD p_align (0x" + Long.toHexString(maxLoadAlign) + ")");
            }
            out.add(s);
        }
        long strndx = h.e_shstrndx() == SHN_XINDEX ? out.get(0).sh_link() : h.e_shstrndx();
        if (strndx > 0 && strndx < n && out.get((int) strndx).sh_type() == SHT_STRTAB) {
            Elf64Shdr st = out.get((int) strndx);
            for (int i = 1; i < n; i++) {
                Elf64Shdr s = out.get(i);
                if (s.sh_name() < st.sh_size()) {
                    out.set(i, s.named(b.cstring(st.sh_offset() + s.sh_name(), st.sh_offset() + st.sh_size(),
                            "Elf64_Shdr[" + i + "].sh_name")));
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- dynamic-derived tables

    private long require(long tag) {
        long v = dynamic.get(tag);
        if (v == -1) {
            throw bytes.error("PT_DYNAMIC", dynamic.offset(), "missing " + dtName(tag));
        }
        return v;
    }

    /** File offset of {@code [addr, addr+len)}, which must lie in one PT_LOAD's file image. */
    public long offsetOf(long addr, long len, String what) {
        for (Elf64Phdr p : phdrs) {
            if (p.p_type() == PT_LOAD && addr >= p.p_vaddr() && addr - p.p_vaddr() <= p.p_filesz()
                    && len >= 0 && len <= p.p_filesz() - (addr - p.p_vaddr())) {
                return p.p_offset() + (addr - p.p_vaddr());
            }
        }
        throw bytes.error(what, dynamic.offset(), "address 0x" + Long.toHexString(addr) + " (+" + len
                + " bytes) is not inside the file image of any PT_LOAD");
    }

    private Table table(String what, long addr, long size, List<Elf64Shdr> sh, int type) {
        long off = offsetOf(addr, size, what);
        Table sec = findSection(sh, type, addr);
        if (sec != null && sec.size() != size && type != SHT_DYNSYM) {
            Elf64Shdr s = sh.get(sec.shndx());
            throw bytes.error("Elf64_Shdr[" + sec.shndx() + "].sh_size (" + s.name() + ")", shOff(sec.shndx()) + 32,
                    "0x" + Long.toHexString(s.sh_size()) + " disagrees with " + what + " (0x" + Long.toHexString(size) + " bytes)");
        }
        if (sec != null && sec.offset() != off) {
            throw bytes.error("Elf64_Shdr[" + sec.shndx() + "].sh_offset (" + sh.get(sec.shndx()).name() + ")",
                    shOff(sec.shndx()) + 24, "0x" + Long.toHexString(sec.offset()) + " disagrees with the segment mapping of " + what + " (0x" + Long.toHexString(off) + ")");
        }
        return new Table(what, addr, off, size, sec == null ? -1 : sec.shndx());
    }

    private static Table findSection(List<Elf64Shdr> sh, int type, long addr) {
        for (int i = 1; i < sh.size(); i++) {
            Elf64Shdr s = sh.get(i);
            if (s.sh_type() == type && s.isAlloc() && s.sh_addr() == addr) {
                return new Table(s.name(), s.sh_addr(), s.sh_offset(), s.sh_size(), i);
            }
        }
        return null;
    }

    private long shOff(int index) {
        return ehdr.e_shoff() + (long) index * SHDR_SIZE;
    }

    private String shdrName(int index) {
        return "Elf64_Shdr[" + index + "]";
    }

    private long checkCount(long count, long entrySize, long at, String what) {
        if (count < 0 || count > bytes.size() / entrySize) {
            throw bytes.error(what, at, count + " entries of " + entrySize + " bytes cannot fit in a file of " + bytes.size() + " bytes");
        }
        return count;
    }

    /** The string at {@code off} in {@code .dynstr}. */
    public String dynString(long off, String what, long at) {
        return stringAt(off, what, -1, "", at);
    }

    /** The byte offset of the d_val of the first dynamic entry with {@code tag} and {@code value}, for messages. */
    private long dynValueOffset(long tag, long value) {
        List<DynamicTable.Elf64Dyn> entries = dynamic.entries();
        for (int k = 0; k < entries.size(); k++) {
            if (entries.get(k).d_tag() == tag && entries.get(k).d_val() == value) {
                return dynamic.offset() + (long) k * DYN_SIZE + 8;
            }
        }
        return dynamic.offset();
    }

    /** Like {@link #dynString}; the structure name ({@code what[index]suffix}) is only built on failure. */
    private String stringAt(long off, String what, int index, String suffix, long at) {
        int end = stringEnd(off, what, index, suffix, at);
        return new String(dynstrBytes, (int) off, end - (int) off, StandardCharsets.ISO_8859_1);
    }

    /**
     * The offset of the NUL that ends the string at {@code off} in {@code .dynstr}; {@code at} is the byte offset of
     * the field that holds {@code off}, named in the refusal.
     */
    private int stringEnd(long off, String what, int index, String suffix, long at) {
        byte[] t = dynstrBytes;
        if (off < 0 || off >= t.length) {
            throw bytes.error(index < 0 ? what : what + index + suffix, at,
                    "string offset " + off + " is outside .dynstr (size " + t.length + ")");
        }
        int end = (int) off;
        while (end < t.length && t[end] != 0) {
            end++;
        }
        if (end == t.length) {
            throw bytes.error(index < 0 ? what : what + index + suffix, dynstr.offset() + off, "string is not NUL-terminated inside .dynstr");
        }
        return end;
    }

    private Table readVerdefs(List<Elf64Shdr> sh, List<Verdef> out) {
        long addr = dynamic.get(DT_VERDEF);
        if (addr == -1) {
            return null;
        }
        long num = dynamic.get(DT_VERDEFNUM);
        long start = offsetOf(addr, Verdef.SIZE, "DT_VERDEF");
        long off = start;
        long end = start;
        long max = num == -1 ? bytes.size() / Verdef.SIZE : checkCount(num, Verdef.SIZE, dynamic.offset(), "DT_VERDEFNUM");
        for (long i = 0; i < max; i++) {
            String s = "Elf64_Verdef[" + i + "]";
            if (bytes.u16(off, s + ".vd_version") != 1) {
                throw bytes.error(s + ".vd_version", off, "is " + bytes.u16(off, s) + ", expected 1");
            }
            int flags = bytes.u16(off + 2, s + ".vd_flags");
            // The gABI's BASE names the file itself, once: a second one is the input's fault, not the rewrite's.
            if ((flags & VER_FLG_BASE) != 0 && out.stream().anyMatch(Verdef::isBase)) {
                throw bytes.error(s + ".vd_flags", off + 2, "a second VER_FLG_BASE version definition");
            }
            int ndx = bytes.u16(off + 4, s + ".vd_ndx");
            int cnt = bytes.u16(off + 6, s + ".vd_cnt");
            long hash = bytes.u32(off + 8, s + ".vd_hash");
            long aux = bytes.u32(off + 12, s + ".vd_aux");
            long next = bytes.u32(off + 16, s + ".vd_next");
            end = Math.max(end, off + Verdef.SIZE);
            List<String> names = new ArrayList<>();
            List<Long> fields = new ArrayList<>();
            long a = off + aux;
            for (int j = 0; j < cnt; j++) {
                String as = s + ".Elf64_Verdaux[" + j + "]";
                long nameOff = bytes.u32(a, as + ".vda_name");
                names.add(dynString(nameOff, as + ".vda_name", a));
                fields.add(a);
                end = Math.max(end, a + Verdef.AUX_SIZE);
                long anext = bytes.u32(a + 4, as + ".vda_next");
                if (anext == 0) {
                    break;
                }
                a += anext;
            }
            out.add(new Verdef(off, flags, ndx, cnt, hash, List.copyOf(names), List.copyOf(fields)));
            if (next == 0) {
                break;
            }
            off += next;
        }
        // The rewrite writes new names into Verdaux records (the BASE's, a renamed version's): one that lies on a
        // Verdef header would overwrite it. Sharing a Verdaux between two Verdefs is fine (libjansson does).
        for (Verdef d : out) {
            for (long a : d.nameFieldOffsets()) {
                for (Verdef h : out) {
                    if (a < h.offset() + Verdef.SIZE && h.offset() < a + Verdef.AUX_SIZE) {
                        throw bytes.error("Elf64_Verdaux", a, "overlaps the Verdef header at byte 0x" + Long.toHexString(h.offset()));
                    }
                }
            }
        }
        return tableAt("DT_VERDEF", addr, start, end - start, sh, SHT_GNU_VERDEF);
    }

    private Table readVerneeds(List<Elf64Shdr> sh, List<Verneed> out) {
        long addr = dynamic.get(DT_VERNEED);
        if (addr == -1) {
            return null;
        }
        long num = dynamic.get(DT_VERNEEDNUM);
        long start = offsetOf(addr, Verneed.SIZE, "DT_VERNEED");
        long off = start;
        long end = start;
        long max = num == -1 ? bytes.size() / Verneed.SIZE : checkCount(num, Verneed.SIZE, dynamic.offset(), "DT_VERNEEDNUM");
        for (long i = 0; i < max; i++) {
            String s = "Elf64_Verneed[" + i + "]";
            if (bytes.u16(off, s + ".vn_version") != 1) {
                throw bytes.error(s + ".vn_version", off, "is " + bytes.u16(off, s) + ", expected 1");
            }
            int cnt = bytes.u16(off + 2, s + ".vn_cnt");
            String file = dynString(bytes.u32(off + 4, s + ".vn_file"), s + ".vn_file", off + 4);
            long aux = bytes.u32(off + 8, s + ".vn_aux");
            long next = bytes.u32(off + 12, s + ".vn_next");
            end = Math.max(end, off + Verneed.SIZE);
            List<Verneed.Vernaux> vs = new ArrayList<>();
            long a = off + aux;
            for (int j = 0; j < cnt; j++) {
                String as = s + ".Elf64_Vernaux[" + j + "]";
                vs.add(new Verneed.Vernaux(a, bytes.u32(a, as + ".vna_hash"), bytes.u16(a + 4, as + ".vna_flags"),
                        bytes.u16(a + 6, as + ".vna_other"), dynString(bytes.u32(a + 8, as + ".vna_name"), as + ".vna_name", a + 8)));
                end = Math.max(end, a + Verneed.AUX_SIZE);
                long anext = bytes.u32(a + 12, as + ".vna_next");
                if (anext == 0) {
                    break;
                }
                a += anext;
            }
            out.add(new Verneed(off, file, List.copyOf(vs)));
            if (next == 0) {
                break;
            }
            off += next;
        }
        // vn_file is rewritten in place (a member's new SONAME): no Vernaux may lie on a Verneed header.
        for (Verneed n : out) {
            for (Verneed.Vernaux v : n.versions()) {
                for (Verneed h : out) {
                    if (v.offset() < h.offset() + Verneed.SIZE && h.offset() < v.offset() + Verneed.AUX_SIZE) {
                        throw bytes.error("Elf64_Vernaux", v.offset(), "overlaps the Verneed header at byte 0x" + Long.toHexString(h.offset()));
                    }
                }
            }
        }
        return tableAt("DT_VERNEED", addr, start, end - start, sh, SHT_GNU_VERNEED);
    }

    /** Like {@link #table} for tables whose size we measured by walking them; the section may be larger (padding). */
    private Table tableAt(String what, long addr, long off, long size, List<Elf64Shdr> sh, int type) {
        Table sec = findSection(sh, type, addr);
        if (sec != null) {
            if (sec.size() < size) {
                throw bytes.error("Elf64_Shdr[" + sec.shndx() + "].sh_size", shOff(sec.shndx()) + 32,
                        "0x" + Long.toHexString(sec.size()) + " is smaller than the " + what + " records (0x" + Long.toHexString(size) + ")");
            }
            return new Table(what, addr, off, sec.size(), sec.shndx());
        }
        return new Table(what, addr, off, size, -1);
    }

    private List<Table> readRelocs(List<Elf64Shdr> sh) {
        List<Table> raw = new ArrayList<>();
        addReloc(raw, sh, DT_RELA, DT_RELASZ, DT_RELAENT, RELA_SIZE, SHT_RELA);
        addReloc(raw, sh, DT_REL, DT_RELSZ, DT_RELENT, REL_SIZE, SHT_REL);
        long jmprel = dynamic.get(DT_JMPREL);
        if (jmprel != -1) {
            long kind = dynamic.get(DT_PLTREL);
            boolean rela = kind != DT_REL;
            long size = dynamic.get(DT_PLTRELSZ);
            if (size == -1) {
                throw bytes.error("PT_DYNAMIC", dynamic.offset(), "DT_JMPREL without DT_PLTRELSZ");
            }
            raw.add(new Table(rela ? "DT_JMPREL(RELA)" : "DT_JMPREL(REL)", jmprel, offsetOf(jmprel, size, "DT_JMPREL"), size, -1));
        }
        // Relocation sections that the dynamic tags do not cover but that index .dynsym (sh_link) too.
        for (int i = 1; i < sh.size(); i++) {
            Elf64Shdr s = sh.get(i);
            if ((s.sh_type() == SHT_RELA || s.sh_type() == SHT_REL) && dynsym.shndx() > 0 && s.sh_link() == dynsym.shndx()) {
                boolean covered = false;
                for (Table t : raw) {
                    if (s.sh_offset() >= t.offset() && s.sh_offset() + s.sh_size() <= t.end()) {
                        covered = true;
                    }
                }
                if (!covered && s.sh_size() > 0) {
                    raw.add(new Table(s.sh_type() == SHT_RELA ? "RELA " + s.name() : "REL " + s.name(), s.sh_addr(), s.sh_offset(), s.sh_size(), i));
                }
            }
        }
        // Merge overlapping ranges (some linkers count .rela.plt inside DT_RELASZ): each entry is remapped once.
        raw.sort((x, y) -> Long.compare(x.offset(), y.offset()));
        List<Table> merged = new ArrayList<>();
        for (Table t : raw) {
            if (t.size() == 0) {
                continue;
            }
            Table last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && t.offset() < last.end()) {
                if (entSize(last) != entSize(t)) {
                    throw bytes.error(t.name(), t.offset(), "overlaps " + last.name() + " with a different entry size");
                }
                merged.set(merged.size() - 1, new Table(last.name(), last.addr(), last.offset(),
                        Math.max(last.end(), t.end()) - last.offset(), last.shndx()));
            } else {
                merged.add(t);
            }
        }
        for (Table t : merged) {
            if (t.size() % entSize(t) != 0) {
                throw bytes.error(t.name(), t.offset(), "size " + t.size() + " is not a multiple of " + entSize(t));
            }
            checkRelocationEntries(t);
        }
        return List.copyOf(merged);
    }

    /**
     * Every entry writes inside the image and names a {@code .dynsym} entry: its {@code r_offset} lies in a PT_LOAD's
     * memory image (the new segment could otherwise map what it writes), and its symbol index (the high word of
     * {@code r_info}) is one the passes after reading can index the symbol table with, reordered or not.
     */
    private void checkRelocationEntries(Table t) {
        int words = entSize(t) / 8;
        java.nio.LongBuffer w = bytes.slice(t.offset(), t.size(), t.name()).asLongBuffer();
        // One loop over every relocation (libLLVM: ~375k): the PT_LOAD ranges as arrays, the last match tried first
        // (entries come sorted by address, most in one segment).
        List<Elf64Phdr> loads = phdrs.stream().filter(p -> p.p_type() == PT_LOAD).toList();
        long[] start = new long[loads.size()];
        long[] size = new long[loads.size()];
        for (int k = 0; k < start.length; k++) {
            start[k] = loads.get(k).p_vaddr();
            size[k] = loads.get(k).p_memsz();
        }
        int last = 0;
        for (int i = 1; i < w.limit(); i += words) {
            long rOffset = w.get(i - 1);
            if (start.length == 0 || Long.compareUnsigned(rOffset - start[last], size[last]) >= 0) {
                last = loadIndexOf(rOffset, start, size);
                if (last < 0) {
                    long at = t.offset() + 8L * (i - 1);
                    throw bytes.error(t.name() + "[" + (i / words) + "].r_offset", at, "0x" + Long.toHexString(rOffset)
                            + " is outside every PT_LOAD's memory image");
                }
            }
            long sym = w.get(i) >>> 32;
            if (sym >= syms.length) {
                long at = t.offset() + 8L * i;
                throw bytes.error(t.name() + "[" + (i / words) + "].r_info", at,
                        "names symbol " + sym + ", past the " + syms.length + " entries of .dynsym");
            }
        }
    }

    /** The index of the range {@code [start, start + size)} holding {@code addr}, or -1. */
    private static int loadIndexOf(long addr, long[] start, long[] size) {
        for (int k = 0; k < start.length; k++) {
            if (Long.compareUnsigned(addr - start[k], size[k]) < 0) {
                return k;
            }
        }
        return -1;
    }

    public static int entSize(Table reloc) {
        return reloc.name().contains("RELA") ? RELA_SIZE : REL_SIZE;
    }

    private void addReloc(List<Table> out, List<Elf64Shdr> sh, long tag, long szTag, long entTag, int ent, int type) {
        long addr = dynamic.get(tag);
        if (addr == -1) {
            return;
        }
        long size = dynamic.get(szTag);
        if (size == -1) {
            throw bytes.error("PT_DYNAMIC", dynamic.offset(), dtName(tag) + " without " + dtName(szTag));
        }
        long e = dynamic.get(entTag);
        if (e != -1 && e != ent) {
            throw bytes.error(dtName(entTag), dynamic.offset(), "is " + e + ", expected " + ent);
        }
        out.add(new Table(type == SHT_RELA ? "DT_RELA" : "DT_REL", addr, offsetOf(addr, size, dtName(tag)), size, -1));
    }

    private void crossCheckDynamicSection() {
        for (int i = 1; i < shdrs.size(); i++) {
            Elf64Shdr s = shdrs.get(i);
            if (s.sh_type() == SHT_DYNAMIC && s.sh_offset() != dynamic.offset()) {
                throw bytes.error("Elf64_Shdr[" + i + "].sh_offset (" + s.name() + ")", shOff(i) + 24,
                        "0x" + Long.toHexString(s.sh_offset()) + " disagrees with PT_DYNAMIC (0x" + Long.toHexString(dynamic.offset()) + ")");
            }
        }
    }

    /**
     * Every symbol {@code .gnu.hash} reaches is hashed under its own name, in its own bucket. The rewrite
     * rebuilds the table from the names: a symbol the input's table filed under another name (a defined
     * function renamed {@code __gmon_start__} behind the hash's back) would become reachable, and {@code _init}
     * would call it. The engine does not silently repair what it reads: refused. Asked of inputs only: the
     * Verifier reports the same fault in an output among its other findings.
     */
    public void checkGnuHashNames() {
        if (gnuHash == null) {
            return;
        }
        // An export below symoffset is one .gnu.hash cannot find (ld.so asks nothing else when it is present):
        // no linker puts one there, and the rebuilt table would make it appear.
        for (int i = 1; i < gnuSymoffset; i++) {
            Elf64Sym y = syms[i];
            if (y.isDefined() && y.visibleToLookup()) {
                throw bytes.error("Elf64_Sym[" + i + "]", dynsym.offset() + (long) SYM_SIZE * i, "defined symbol '" + name(i)
                        + "' lies below DT_GNU_HASH.symoffset " + gnuSymoffset + ", where .gnu.hash cannot find it");
            }
        }
        if (gnuSymoffset == syms.length) {
            return; // nothing hashed (a library that exports nothing)
        }
        long off = gnuHash.offset();
        long nbuckets = bytes.u32(off, "DT_GNU_HASH.nbuckets");
        long bloomSize = bytes.u32(off + 8, "DT_GNU_HASH.bloom_size");
        long bucketsOff = off + 16 + 8 * bloomSize;
        long chainsOff = bucketsOff + 4 * nbuckets;
        int symoffset = gnuSymoffset;
        byte[] t = dynstrBytes;
        for (long k = 0; k < nbuckets; k++) {
            long first = bytes.u32(bucketsOff + 4 * k, "DT_GNU_HASH.buckets");
            if (first == 0) {
                continue;
            }
            if (first < symoffset) {
                throw bytes.error("DT_GNU_HASH.buckets[" + k + "]", bucketsOff + 4 * k, "symbol " + first
                        + " is below symoffset " + symoffset);
            }
            for (long i = first; i < syms.length; i++) {
                long at = chainsOff + 4 * (i - symoffset);
                int chain = (int) bytes.u32(at, "DT_GNU_HASH.chains");
                int from = (int) syms[(int) i].st_name();
                int h = from == 0 ? ElfHash.gnu(new byte[0]) : ElfHash.gnu(t, from, nameEnd((int) i));
                if (((h ^ chain) & ~1) != 0 || Integer.remainderUnsigned(h, (int) nbuckets) != k) {
                    throw bytes.error("DT_GNU_HASH.chains[" + (i - symoffset) + "]", at, "files symbol " + i + " ('"
                            + name((int) i) + "') under hash 0x" + Integer.toHexString(chain & ~1) + " in bucket " + k
                            + ", but its name hashes to 0x" + Integer.toHexString(h & ~1) + " in bucket "
                            + Integer.remainderUnsigned(h, (int) nbuckets));
                }
                if ((chain & 1) != 0) {
                    break;
                }
            }
        }
    }

    /** String-valued dynamic tags name offsets inside DT_STRSZ, each a NUL-terminated string there. */
    private void checkDynamicStrings() {
        List<DynamicTable.Elf64Dyn> entries = dynamic.entries();
        for (int k = 0; k < entries.size(); k++) {
            long tag = entries.get(k).d_tag();
            if (tag == DT_NEEDED || tag == DT_SONAME || tag == DT_RPATH || tag == DT_RUNPATH || tag == DT_FILTER
                    || tag == DT_AUXILIARY || tag == DT_CONFIG || tag == DT_DEPAUDIT || tag == DT_AUDIT) {
                long v = entries.get(k).d_val();
                long at = dynamic.offset() + (long) k * DYN_SIZE + 8;
                if (v < 0 || v >= dynstrBytes.length) {
                    throw bytes.error(dtName(tag) + ".d_val", at, "string offset " + v + " is outside .dynstr (DT_STRSZ "
                            + dynstrBytes.length + ")");
                }
                stringEnd(v, dtName(tag), -1, "", at);
            }
        }
    }

    /**
     * The section headers of the tables found from the dynamic tags link each other as the gABI says (seed 003):
     * {@code .dynsym}, {@code .gnu.version_d} and {@code .gnu.version_r} to {@code .dynstr}; the hash tables,
     * {@code .gnu.version} and the relocation sections to {@code .dynsym}. The rewrite moves and updates the
     * headers it matched by address and size; a header one of them links that was not matched (a {@code .dynstr}
     * without SHF_ALLOC, of another type, or away from DT_STRTAB) would be left stale, still linked: refused.
     */
    private void checkLinks() {
        if (dynsym.shndx() > 0) {
            checkLink(dynsym, dynstr);
        }
        for (Table t : new Table[] {verdefTable, verneedTable}) {
            if (t != null && t.shndx() > 0) {
                checkLink(t, dynstr);
            }
        }
        for (Table t : new Table[] {gnuHash, sysvHash, versym}) {
            if (t != null && t.shndx() > 0) {
                checkLink(t, dynsym);
            }
        }
        for (Table t : dynRelocs) {
            // A relocation section may leave sh_link 0 (no symbols); one that names a table names .dynsym.
            if (t.shndx() > 0 && shdrs.get(t.shndx()).sh_link() != 0) {
                checkLink(t, dynsym);
            }
        }
    }

    private void checkLink(Table from, Table to) {
        Elf64Shdr s = shdrs.get(from.shndx());
        if (s.sh_link() != to.shndx()) {
            String target = to.shndx() > 0 ? "Elf64_Shdr[" + to.shndx() + "] (" + shdrs.get(to.shndx()).name() + ")"
                    : "no section header (none matches " + to.name() + " at 0x" + Long.toHexString(to.addr()) + ", 0x"
                            + Long.toHexString(to.size()) + " bytes)";
            throw bytes.error("Elf64_Shdr[" + from.shndx() + "].sh_link (" + s.name() + ")", shOff(from.shndx()) + 40,
                    s.sh_link() + " disagrees with " + to.name() + ", which is " + target);
        }
    }

    /**
     * The tables the rewrite patches in place must not share bytes: a hostile pointer that aims one
     * table into another (DT_VERSYM into .dynamic, or into the ELF header) would otherwise make two
     * patches fight over it.
     */
    private void checkDisjoint() {
        List<Table> patched = new ArrayList<>();
        patched.add(new Table("Elf64_Ehdr", 0, 0, EHDR_SIZE, -1));
        patched.add(new Table("Elf64_Phdr table", 0, ehdr.e_phoff(), (long) phdrs.size() * PHDR_SIZE, -1));
        patched.add(new Table("PT_DYNAMIC", dynamic.vaddr(), dynamic.offset(), (long) dynamic.capacity() * Elf.DYN_SIZE, -1));
        patched.add(dynsym);
        for (Table t : new Table[] {versym, verdefTable, verneedTable}) {
            if (t != null) {
                patched.add(t);
            }
        }
        patched.addAll(dynRelocs);
        // .symtab values of symbols in moved sections are patched in place (Rewriter.symtabValues).
        for (int i = 1; i < shdrs.size(); i++) {
            Elf64Shdr s = shdrs.get(i);
            if (s.sh_type() == SHT_SYMTAB && s.sh_size() > 0 && s.sh_size() % SYM_SIZE == 0) {
                patched.add(new Table("Elf64_Shdr[" + i + "] (" + s.name() + ")", s.sh_addr(), s.sh_offset(), s.sh_size(), i));
            }
        }
        patched.sort(java.util.Comparator.comparingLong(Table::offset));
        for (int i = 1; i < patched.size(); i++) {
            Table a = patched.get(i - 1);
            Table b = patched.get(i);
            if (b.offset() < a.end()) {
                throw bytes.error(b.name(), b.offset(), "overlaps " + a.name() + " [0x" + Long.toHexString(a.offset())
                        + ", 0x" + Long.toHexString(a.end()) + ")");
            }
        }
    }

    /**
     * Version names by version index, or null without {@code .gnu.version}. Made once, when the file is
     * read: the verifier asks for them from two threads at once.
     */
    private String[] versionNames() {
        if (versions == null) {
            return null;
        }
        String[] byIndex = new String[VERSYM_VERSION + 1];
        for (Verneed n : verneeds) {
            for (Verneed.Vernaux a : n.versions()) {
                byIndex[a.vna_other() & VERSYM_VERSION] = a.name();
            }
        }
        for (Verdef d : verdefs) {
            byIndex[d.vd_ndx() & VERSYM_VERSION] = d.name();
        }
        return byIndex;
    }

    /**
     * A defined symbol's version index names a version this file defines (a Verdef), as the gABI says; one that
     * names a version required of another file (a Vernaux) is no definition the loader or the rewrite can
     * honour: the rebuilt hash would file the symbol under a version nobody asks for.
     */
    private void checkDefinedVersions() {
        if (versions == null) {
            return;
        }
        boolean[] defined = new boolean[VERSYM_VERSION + 1];
        for (Verdef d : verdefs) {
            defined[d.vd_ndx() & VERSYM_VERSION] = true;
        }
        for (int i = 1; i < syms.length; i++) {
            int v = versions[i] & VERSYM_VERSION;
            if (v > VER_NDX_GLOBAL && syms[i].isDefined() && !defined[v]) {
                throw bytes.error("Elf64_Versym[" + i + "]", versym.offset() + 2L * i, "defined symbol '" + name(i)
                        + "' has version index " + v + (versionNames[v] != null ? " (" + versionNames[v]
                        + ", required of another file)" : "") + ", which no Verdef defines");
            }
        }
    }

    /** The version name of symbol {@code i} (without the hidden bit), or null when unversioned or local/global. */
    public String versionName(int i) {
        if (versions == null) {
            return null;
        }
        int v = versions[i] & VERSYM_VERSION;
        return v <= VER_NDX_GLOBAL ? null : versionNames[v];
    }

    /**
     * For an undefined symbol with a version requirement, the file its version is required of (the
     * Verneed's vn_file, a DT_NEEDED name); null when the reference is unversioned.
     */
    public String requiredFile(int i) {
        if (versions == null) {
            return null;
        }
        int v = versions[i] & VERSYM_VERSION;
        for (Verneed n : verneeds) {
            for (Verneed.Vernaux a : n.versions()) {
                if ((a.vna_other() & VERSYM_VERSION) == v) {
                    return n.file();
                }
            }
        }
        return null;
    }

    /** DT_RUNPATH, else DT_RPATH, else null. */
    public String runpath() {
        long off = dynamic.get(DT_RUNPATH);
        if (off == -1) {
            off = dynamic.get(DT_RPATH);
        }
        return off == -1 ? null : dynString(off, "DT_RUNPATH", dynamic.offset());
    }

    /** True for the non-default ({@code foo@V1}, hidden) definition of a versioned symbol. */
    public boolean isHiddenVersion(int i) {
        return versions != null && (versions[i] & VERSYM_HIDDEN) != 0;
    }

    public Elf64Phdr firstLoad() {
        for (Elf64Phdr p : phdrs) {
            if (p.p_type() == PT_LOAD) {
                return p;
            }
        }
        throw new IllegalStateException();
    }

    public static String dtName(long tag) {
        String[] low = {"DT_NULL", "DT_NEEDED", "DT_PLTRELSZ", "DT_PLTGOT", "DT_HASH", "DT_STRTAB", "DT_SYMTAB",
            "DT_RELA", "DT_RELASZ", "DT_RELAENT", "DT_STRSZ", "DT_SYMENT", "DT_INIT", "DT_FINI", "DT_SONAME",
            "DT_RPATH", "DT_SYMBOLIC", "DT_REL", "DT_RELSZ", "DT_RELENT", "DT_PLTREL", "DT_DEBUG", "DT_TEXTREL",
            "DT_JMPREL"};
        if (tag >= 0 && tag < low.length) {
            return low[(int) tag];
        }
        if (tag == DT_GNU_HASH) return "DT_GNU_HASH";
        if (tag == DT_VERSYM) return "DT_VERSYM";
        if (tag == DT_VERDEF) return "DT_VERDEF";
        if (tag == DT_VERDEFNUM) return "DT_VERDEFNUM";
        if (tag == DT_VERNEED) return "DT_VERNEED";
        if (tag == DT_VERNEEDNUM) return "DT_VERNEEDNUM";
        if (tag == DT_RUNPATH) return "DT_RUNPATH";
        if (tag == DT_RELR) return "DT_RELR";
        if (tag == DT_RELACOUNT) return "DT_RELACOUNT";
        if (tag == DT_RELCOUNT) return "DT_RELCOUNT";
        if (tag == DT_FILTER) return "DT_FILTER";
        if (tag == DT_AUXILIARY) return "DT_AUXILIARY";
        if (tag == DT_CONFIG) return "DT_CONFIG";
        if (tag == DT_DEPAUDIT) return "DT_DEPAUDIT";
        if (tag == DT_AUDIT) return "DT_AUDIT";
        return "DT_0x" + Long.toHexString(tag);
    }

    @Override
    public String toString() {
        return bytes.file() + " (" + syms.length + " dynamic symbols)";
    }
}
