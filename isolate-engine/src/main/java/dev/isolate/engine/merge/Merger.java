package dev.isolate.engine.merge;

import static dev.isolate.engine.elf.Elf.*;

import dev.isolate.engine.IsolateException;
import dev.isolate.engine.common.TempName;
import dev.isolate.engine.elf.Elf64Phdr;
import dev.isolate.engine.elf.Elf64Shdr;
import dev.isolate.engine.elf.Elf64Sym;
import dev.isolate.engine.elf.ElfFile;
import dev.isolate.engine.elf.ElfHash;
import dev.isolate.engine.machine.Machine;
import dev.isolate.engine.policy.Setting;
import dev.isolate.engine.write.DynstrTable;
import dev.isolate.engine.write.GnuHashTable;
import dev.isolate.engine.write.SysvHashTable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code isolate merge}: a JNI library and the shared libraries it bundles become one ET_DYN (the superlinker
 * idea: each input's loadable segments are kept byte for byte, rebased, and every header is new).
 *
 * <p>Passes: read the members ({@link Member}); resolve each relocation's symbol ({@link SymbolResolver}) and
 * decide its new form; build the new dynamic symbol table (imports, then the kept exports in
 * {@code .gnu.hash} order), versions, init/fini arrays; plan the layout (a new read-only segment at address
 * 0 with the headers and dynamic tables, the members page-aligned after it, a new writable segment with
 * {@code .dynamic} and the arrays); write it in memory; read it back; move it into place.
 *
 * <p>Relocations: a reference that binds to a member becomes {@code R_*_RELATIVE} (an IFUNC,
 * {@code R_*_IRELATIVE}; TLS ones name the merged object's own module), so no lookup remains for it; what
 * stays outside stays symbolic. All of them go into one {@code DT_RELA} applied at load time
 * ({@code DF_BIND_NOW}): lazy binding would call a member's PLT0, which expects that member's own
 * {@code GOT[1]}/{@code GOT[2]}, and no ld.so fills those for a member.
 */
public final class Merger {

    private Merger() {}

    /** A relocation of the output, decided before the layout: its addend is computed once bases are known. */
    private record Planned(Member m, Member.Rela r, long type, SymbolResolver.Def def, int sym, Kind kind) {}

    private enum Kind { REBASE, BOUND, TLS_BOUND, AS_IS, SYMBOLIC }

    /** An undefined symbol of the output, and the version it requires. */
    private record Import(String name, String file, String version) {}

    /** An output section: its header, and where its bytes come from when they are not a member's. */
    private record Section(String name, int type, long flags, long addr, long offset, long size, int link, int info,
            long align, long entsize) {}

    public static MergeReport merge(MergeRequest req) throws IOException {
        return merge(req, true);
    }

    /**
     * Everything {@link #merge} does (every refusal included) but write: what the merged file would export,
     * import and need, and how many references would be bound. {@code outputDir} is only used for the name
     * the report gives. The dry run of {@code isolate inspect --merge}.
     */
    public static MergeReport inspect(MergeRequest req) throws IOException {
        return merge(req, false);
    }

    private static MergeReport merge(MergeRequest req, boolean write) throws IOException {
        if (req.inputs().size() < 2) {
            throw new IsolateException("merge needs a TARGET and at least one MEMBER");
        }
        // ---- read
        List<Member> members = new ArrayList<>();
        Set<Path> seen = new LinkedHashSet<>();
        for (Path p : req.inputs()) {
            if (!seen.add(p.toAbsolutePath().normalize())) {
                throw new IsolateException(p + ": given twice");
            }
            members.add(new Member(members.size(), p, ElfFile.read(p)));
        }
        Member target = members.get(0);
        MergeRelocs R = target.rel;
        for (Member m : members) {
            if (m.rel != R) {
                throw m.error("e_machine", 18, m.rel.machine().elfName() + ", but the TARGET is " + R.machine().elfName());
            }
        }
        Member tlsMember = null;
        for (Member m : members) {
            if (m.tls != null) {
                if (tlsMember != null) {
                    throw m.error("PT_TLS", m.elf.ehdr.e_phoff(), "a second member with thread-local storage (the first is "
                            + tlsMember.path + "): its " + firstTlsReloc(m) + " relocations and any local-dynamic offsets in"
                            + " its code assume a TLS block of its own; merging two TLS templates is not supported");
                }
                tlsMember = m;
            }
        }
        SymbolResolver resolver = new SymbolResolver(members);

        // ---- exports
        VersionTables versions = new VersionTables(target.elf.soname != null ? target.elf.soname : target.path.getFileName().toString());
        List<SymbolResolver.Def> exports = chooseExports(req, resolver, target);
        Map<SymbolResolver.Def, Integer> exportVersion = new HashMap<>();
        for (SymbolResolver.Def d : exports) {
            String v = d.version();
            exportVersion.put(d, v == null ? VER_NDX_GLOBAL : versions.define(v)
                    | (d.member().elf.isHiddenVersion(d.sym()) ? VERSYM_HIDDEN : 0));
        }

        // ---- relocations, imports
        Map<Import, Integer> importIndex = new LinkedHashMap<>(); // index among imports, from 1
        Map<Import, int[]> importInfo = new HashMap<>(); // {bind, type}
        Map<SymbolResolver.Def, Integer> exportSlot = new HashMap<>();
        for (int i = 0; i < exports.size(); i++) {
            exportSlot.put(exports.get(i), i);
        }
        List<Planned> planned = new ArrayList<>();
        int bound = 0;
        for (Member m : resolver.scope) {
            for (Member.Rela r : m.relocs) {
                Planned p = plan(m, r, resolver, tlsMember, importIndex, importInfo, exportSlot);
                if (p != null) {
                    planned.add(p);
                    if (r.sym() != 0 && (p.kind() == Kind.BOUND || p.kind() == Kind.TLS_BOUND)) {
                        bound++;
                    }
                }
            }
        }
        for (Import im : importIndex.keySet()) {
            if (im.version() != null) {
                versions.require(im.file(), im.version(), importInfo.get(im)[2]);
            }
        }
        versions.freeze();

        // ---- the dynamic symbol table: null, imports (not hashed), exports (hashed, grouped by bucket)
        int nImports = importIndex.size();
        int symoffset = 1 + nImports;
        int nsyms = symoffset + exports.size();
        byte[][] names = new byte[nsyms][];
        int[] gnu = new int[nsyms];
        names[0] = new byte[0];
        List<Import> imports = new ArrayList<>(importIndex.keySet());
        for (int i = 0; i < nImports; i++) {
            names[1 + i] = imports.get(i).name().getBytes(StandardCharsets.ISO_8859_1);
        }
        for (int i = 0; i < exports.size(); i++) {
            names[symoffset + i] = exports.get(i).name().getBytes(StandardCharsets.ISO_8859_1);
        }
        for (int i = 0; i < nsyms; i++) {
            gnu[i] = ElfHash.gnu(names[i]);
        }
        GnuHashTable.Geometry geometry = GnuHashTable.Geometry.lld(nsyms - symoffset); // a new table: sized as a linker would
        int[] order = GnuHashTable.order(gnu, symoffset, geometry); // new position symoffset+k holds old symoffset+... index
        int[] exportAt = new int[exports.size()]; // output dynsym index of export i
        for (int k = 0; k < order.length; k++) {
            exportAt[order[k] - symoffset] = symoffset + k;
        }

        // ---- strings
        DynstrTable strings = new DynstrTable(new byte[] {0}, nsyms + 16);
        long[] nameOff = new long[nsyms];
        for (int i = 1; i < nsyms; i++) {
            nameOff[i] = strings.add(names[i], gnu[i]);
        }
        List<String> needed = new ArrayList<>();
        for (Member m : resolver.scope) {
            for (String n : m.elf.needed) {
                if (resolver.member(n) == null && !needed.contains(n)) {
                    needed.add(n);
                }
            }
        }
        needed.forEach(strings::add);
        versions.addStrings(strings);
        long sonameOff = strings.add(target.elf.soname != null ? target.elf.soname : target.path.getFileName().toString());

        // ---- init and fini arrays, in dependency order (a member before those needing it, TARGET last)
        List<Member> initOrder = initOrder(members, resolver);
        List<long[]> initTargets = new ArrayList<>(); // {member index, member-relative vaddr, isAbsoluteAlready(0/1)}
        List<long[]> finiTargets = new ArrayList<>();
        for (Member m : initOrder) {
            collect(m, DT_INIT, -1, -1, initTargets, resolver);
            collect(m, -1, DT_INIT_ARRAY, DT_INIT_ARRAYSZ, initTargets, resolver);
            collect(m, DT_FINI, -1, -1, finiTargets, resolver);
            collect(m, -1, DT_FINI_ARRAY, DT_FINI_ARRAYSZ, finiTargets, resolver);
        }

        // ---- layout: the header segment at 0
        // Read before the layout, which only needs its size: every member's search table, or its FDEs.
        EhFrameHdr eh = new EhFrameHdr();
        for (Member m : members) {
            eh.add(m);
        }
        boolean ehNeeded = eh.isNeeded(); // a table with no entry (a member's empty one) is left out whole
        GnuProperties properties = new GnuProperties(members, target.elf.ehdr.e_machine());
        byte[] propertyNote = properties.isNeeded() ? properties.note() : null;
        boolean relroKept = target.relro != null;
        int phnum = 2 + members.stream().mapToInt(m -> m.loads.size()).sum() + 1 + 1 + (tlsMember != null ? 1 : 0)
                + (ehNeeded ? 1 : 0) + 1 + (relroKept ? 1 : 0) + (propertyNote != null ? 2 : 0);
        int nRela = planned.size() + initTargets.size() + finiTargets.size();
        long at = EHDR_SIZE + (long) phnum * PHDR_SIZE;
        long dynsymOff = align(at, 8);
        long dynstrOff = dynsymOff + (long) nsyms * SYM_SIZE;
        long dynstrSize = strings.size();
        long gnuHashOff = align(dynstrOff + dynstrSize, 8);
        int[] orderedHashes = new int[order.length];
        for (int k = 0; k < order.length; k++) {
            orderedHashes[k] = gnu[order[k]];
        }
        GnuHashTable gnuHash = new GnuHashTable(symoffset, orderedHashes, geometry);
        long sysvOff = align(gnuHashOff + gnuHash.size(), 8);
        int[] sysvHashes = new int[nsyms];
        sysvHashes[0] = SysvHashTable.UNNAMED;
        for (int i = 1; i < symoffset; i++) {
            sysvHashes[i] = (int) ElfHash.sysv(names[i]);
        }
        for (int k = 0; k < order.length; k++) {
            sysvHashes[symoffset + k] = (int) ElfHash.sysv(names[order[k]]);
        }
        SysvHashTable sysvHash = new SysvHashTable(sysvBuckets(nsyms), sysvHashes);
        long versymOff = align(sysvOff + sysvHash.size(), 8);
        // ld.so indexes its version array by .gnu.version whenever DT_VERSYM is present, and has no such array
        // without a Verdef or Verneed: then there is no .gnu.version at all.
        boolean versioned = versions.hasVerdef() || versions.hasVerneed();
        long verdefOff = align(versymOff + (versioned ? 2L * nsyms : 0), 8);
        long verneedOff = align(verdefOff + versions.verdefSize(), 8);
        long relaOff = align(verneedOff + versions.verneedSize(), 8);
        long ehOff = align(relaOff + (long) nRela * RELA_SIZE, 8);
        long noteOff = align(ehOff + (ehNeeded ? eh.size() : 0), 8);
        long headerEnd = propertyNote != null ? noteOff + propertyNote.length : ehOff + (ehNeeded ? eh.size() : 0);

        // ---- layout: members, each at a page-aligned base with its own layout kept
        long pageAlign = R.machine().maxPageSize();
        for (Member m : members) {
            pageAlign = Math.max(pageAlign, m.align);
        }
        long page = R.machine().maxPageSize();
        long vaddr = align(headerEnd, pageAlign);
        long fileAt = headerEnd;
        for (Member m : members) {
            m.base = vaddr - m.lowVaddr;
            // The member's file offsets are congruent to its vaddrs modulo its p_align; keeping base and fileBase
            // congruent modulo that keeps every PT_LOAD congruent, at most p_align - 1 bytes of padding. Bases
            // advance by the largest page size, so no two members share a page in memory.
            m.fileBase = fileAt + Math.floorMod(m.base - fileAt, m.align);
            vaddr = align(m.rebase(m.highVaddr), pageAlign);
            fileAt = m.fileBase + m.fileEnd;
        }

        if (vaddr >= Member.MAX_VADDR) {
            throw new IsolateException(target.path + ": the merged image would span 0x" + Long.toHexString(vaddr)
                    + " bytes of addresses; merge keeps it below 2 GiB (.eh_frame_hdr holds 32-bit offsets)");
        }

        // ---- layout: the writable segment: .dynamic, .init_array, .fini_array
        long dataVaddr = vaddr;
        long dataFile = fileAt + Math.floorMod(dataVaddr - fileAt, page);
        List<long[]> dyn = new ArrayList<>(); // {tag, value}; values of addresses filled below
        long dynamicOff = dataFile;
        long dynamicAddr = dataVaddr;
        int dynCount = needed.size() + 24 + 1;
        long initOff = dynamicOff + (long) dynCount * DYN_SIZE;
        long finiOff = initOff + 8L * initTargets.size();
        long dataEnd = finiOff + 8L * finiTargets.size();
        long initAddr = dataVaddr + (initOff - dataFile);
        long finiAddr = dataVaddr + (finiOff - dataFile);

        // ---- section headers
        List<Section> sections = new ArrayList<>();
        sections.add(new Section("", SHT_NULL, 0, 0, 0, 0, 0, 0, 0, 0));
        int dynsymIdx = 1;
        int dynstrIdx = 2;
        sections.add(new Section(".dynsym", SHT_DYNSYM, SHF_ALLOC, dynsymOff, dynsymOff, (long) nsyms * SYM_SIZE, dynstrIdx, 1, 8, SYM_SIZE));
        sections.add(new Section(".dynstr", SHT_STRTAB, SHF_ALLOC, dynstrOff, dynstrOff, dynstrSize, 0, 0, 1, 0));
        sections.add(new Section(".gnu.hash", SHT_GNU_HASH, SHF_ALLOC, gnuHashOff, gnuHashOff, gnuHash.size(), dynsymIdx, 0, 8, 0));
        sections.add(new Section(".hash", SHT_HASH, SHF_ALLOC, sysvOff, sysvOff, sysvHash.size(), dynsymIdx, 0, 8, 4));
        if (versioned) {
            sections.add(new Section(".gnu.version", SHT_GNU_VERSYM, SHF_ALLOC, versymOff, versymOff, 2L * nsyms, dynsymIdx, 0, 2, 2));
        }
        if (versions.hasVerdef()) {
            sections.add(new Section(".gnu.version_d", SHT_GNU_VERDEF, SHF_ALLOC, verdefOff, verdefOff, versions.verdefSize(), dynstrIdx,
                    versions.verdefCount(), 8, 0));
        }
        if (versions.hasVerneed()) {
            sections.add(new Section(".gnu.version_r", SHT_GNU_VERNEED, SHF_ALLOC, verneedOff, verneedOff, versions.verneedSize(),
                    dynstrIdx, versions.verneedCount(), 8, 0));
        }
        sections.add(new Section(".rela.dyn", SHT_RELA, SHF_ALLOC, relaOff, relaOff, (long) nRela * RELA_SIZE, dynsymIdx, 0, 8, RELA_SIZE));
        if (ehNeeded) {
            sections.add(new Section(".eh_frame_hdr", SHT_PROGBITS, SHF_ALLOC, ehOff, ehOff, eh.size(), 0, 0, 4, 0));
        }
        if (propertyNote != null) {
            sections.add(new Section(".note.gnu.property", SHT_NOTE, SHF_ALLOC, noteOff, noteOff, propertyNote.length, 0, 0, 8, 0));
        }
        Map<Member, int[]> sectionMap = new HashMap<>(); // member section index -> output index
        for (Member m : members) {
            if (m.elf.shdrs.size() <= 1) {
                // No section headers: one section per PT_LOAD, so strip and objcopy keep the bytes.
                for (int k = 0; k < m.loads.size(); k++) {
                    Elf64Phdr p = m.loads.get(k);
                    long fl = SHF_ALLOC | ((p.p_flags() & PF_W) != 0 ? SHF_WRITE : 0) | ((p.p_flags() & PF_X) != 0 ? SHF_EXECINSTR : 0);
                    sections.add(new Section(".m" + m.index + ".load" + k, SHT_PROGBITS, fl, m.rebase(p.p_vaddr()),
                            m.fileBase + p.p_offset(), p.p_filesz(), 0, 0, 1, 0));
                }
            }
            int[] map = new int[m.elf.shdrs.size()];
            for (int i = 1; i < m.elf.shdrs.size(); i++) {
                Elf64Shdr s = m.elf.shdrs.get(i);
                if (!s.isAlloc() || !insideLoad(m, s)) {
                    continue;
                }
                boolean plain = s.sh_type() == SHT_PROGBITS || s.sh_type() == SHT_NOBITS;
                String name = plain && !s.name().equals(".eh_frame_hdr") ? s.name() : ".m" + m.index + s.name();
                map[i] = sections.size();
                sections.add(new Section(name, s.sh_type() == SHT_NOBITS ? SHT_NOBITS : SHT_PROGBITS, s.sh_flags(),
                        m.rebase(s.sh_addr()), m.fileBase + s.sh_offset(), s.sh_size(), 0, 0, s.sh_addralign(), plain ? s.sh_entsize() : 0));
            }
            sectionMap.put(m, map);
        }
        int dynamicIdx = sections.size();
        sections.add(new Section(".dynamic", SHT_DYNAMIC, SHF_ALLOC | SHF_WRITE, dynamicAddr, dynamicOff, (long) dynCount * DYN_SIZE,
                dynstrIdx, 0, 8, DYN_SIZE));
        if (!initTargets.isEmpty()) {
            sections.add(new Section(".init_array", SHT_INIT_ARRAY, SHF_ALLOC | SHF_WRITE, initAddr, initOff, 8L * initTargets.size(), 0, 0, 8, 8));
        }
        if (!finiTargets.isEmpty()) {
            sections.add(new Section(".fini_array", SHT_FINI_ARRAY, SHF_ALLOC | SHF_WRITE, finiAddr, finiOff, 8L * finiTargets.size(), 0, 0, 8, 8));
        }
        int shstrIdx = sections.size();
        Map<String, Integer> shNames = new HashMap<>();
        List<String> allNames = new ArrayList<>();
        sections.forEach(s -> allNames.add(s.name()));
        allNames.add(".shstrtab");
        byte[] shstrBytes = shstrtab(allNames, shNames);
        long shstrOff = dataEnd;
        long shoff = align(shstrOff + shstrBytes.length, 8);
        sections.add(new Section(".shstrtab", SHT_STRTAB, 0, 0, shstrOff, shstrBytes.length, 0, 0, 1, 0));
        long total = shoff + (long) sections.size() * SHDR_SIZE;
        if (total > Integer.MAX_VALUE - 16) {
            throw new IsolateException(target.path + ": the merged file would exceed 2 GiB");
        }

        // ---- write
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        for (Member m : members) {
            for (Elf64Phdr p : m.loads) {
                out.put((int) (m.fileBase + p.p_offset()), m.elf.bytes.bytes(p.p_offset(), p.p_filesz(), "PT_LOAD"));
            }
        }
        // ELF header
        byte[] ident = new byte[EI_NIDENT];
        System.arraycopy(target.elf.ehdr.e_ident(), 0, ident, 0, EI_NIDENT);
        new dev.isolate.engine.elf.Elf64Ehdr(ident, ET_DYN, target.elf.ehdr.e_machine(), EV_CURRENT, 0, EHDR_SIZE, shoff, target.elf.ehdr.e_flags(), EHDR_SIZE, PHDR_SIZE, phnum,
                SHDR_SIZE, sections.size(), shstrIdx).write(out, 0);
        // program headers
        List<Elf64Phdr> ph = new ArrayList<>();
        ph.add(new Elf64Phdr(PT_PHDR, PF_R, EHDR_SIZE, EHDR_SIZE, EHDR_SIZE, (long) phnum * PHDR_SIZE, (long) phnum * PHDR_SIZE, 8));
        ph.add(new Elf64Phdr(PT_LOAD, PF_R, 0, 0, 0, headerEnd, headerEnd, pageAlign));
        for (Member m : members) {
            for (Elf64Phdr p : m.loads) {
                ph.add(p.moved(m.fileBase + p.p_offset(), m.rebase(p.p_vaddr())));
            }
        }
        ph.add(new Elf64Phdr(PT_LOAD, PF_R | PF_W, dataFile, dataVaddr, dataVaddr, dataEnd - dataFile, dataEnd - dataFile, page));
        ph.add(new Elf64Phdr(PT_DYNAMIC, PF_R | PF_W, dynamicOff, dynamicAddr, dynamicAddr, (long) dynCount * DYN_SIZE,
                (long) dynCount * DYN_SIZE, 8));
        if (propertyNote != null) { // where ld puts them: the note for any reader, PT_GNU_PROPERTY for ld.so
            ph.add(new Elf64Phdr(PT_NOTE, PF_R, noteOff, noteOff, noteOff, propertyNote.length, propertyNote.length, 8));
            ph.add(new Elf64Phdr(PT_GNU_PROPERTY, PF_R, noteOff, noteOff, noteOff, propertyNote.length, propertyNote.length, 8));
        }
        if (tlsMember != null) {
            Elf64Phdr t = tlsMember.tls;
            ph.add(t.moved(tlsMember.fileBase + t.p_offset(), tlsMember.rebase(t.p_vaddr())));
        }
        if (ehNeeded) {
            ph.add(new Elf64Phdr(PT_GNU_EH_FRAME, PF_R, ehOff, ehOff, ehOff, eh.size(), eh.size(), 4));
        }
        boolean execStack = members.stream().anyMatch(m -> m.execStack);
        ph.add(new Elf64Phdr(PT_GNU_STACK, PF_R | PF_W | (execStack ? PF_X : 0), 0, 0, 0, 0, 0, 16));
        if (relroKept) {
            Elf64Phdr r = target.relro;
            ph.add(r.moved(target.fileBase + r.p_offset(), target.rebase(r.p_vaddr())));
        }
        if (ph.size() != phnum) {
            throw new IllegalStateException("program header count " + ph.size() + " != " + phnum);
        }
        for (int i = 0; i < ph.size(); i++) {
            ph.get(i).write(out, EHDR_SIZE + i * PHDR_SIZE);
        }
        // .dynsym
        for (int i = 0; i < nImports; i++) {
            int[] info = importInfo.get(imports.get(i));
            new Elf64Sym(nameOff[1 + i], stInfo(info[0], info[1]), STV_DEFAULT, SHN_UNDEF, 0, 0)
                    .write(out, (int) (dynsymOff + (long) (1 + i) * SYM_SIZE));
        }
        for (int i = 0; i < exports.size(); i++) {
            SymbolResolver.Def d = exports.get(i);
            Elf64Sym s = d.member().elf.syms[d.sym()];
            int shndx = s.st_shndx() == SHN_ABS ? SHN_ABS
                    : s.st_shndx() < sectionMap.get(d.member()).length ? sectionMap.get(d.member())[s.st_shndx()] : 0;
            if (shndx == 0) {
                shndx = sectionAt(sections, d.value());
            }
            new Elf64Sym(nameOff[symoffset + i], s.st_info(), s.st_other(), shndx, d.value(), s.st_size())
                    .write(out, (int) (dynsymOff + (long) exportAt[i] * SYM_SIZE));
        }
        // .dynstr, hashes, versions
        out.put((int) dynstrOff, strings.toBytes());
        out.put((int) gnuHashOff, gnuHash.bytes());
        out.put((int) sysvOff, sysvHash.bytes());
        for (int i = 0; versioned && i < nImports; i++) {
            Import im = imports.get(i);
            out.putShort((int) (versymOff + 2L * (1 + i)), (short) (im.version() == null ? VER_NDX_GLOBAL
                    : versions.requiredIndex(im.file(), im.version())));
        }
        for (int i = 0; versioned && i < exports.size(); i++) {
            out.putShort((int) (versymOff + 2L * exportAt[i]), (short) (int) exportVersion.get(exports.get(i)));
        }
        if (versions.hasVerdef()) {
            out.put((int) verdefOff, versions.verdef(strings));
        }
        if (versions.hasVerneed()) {
            out.put((int) verneedOff, versions.verneed(strings));
        }
        // .rela.dyn: RELATIVE first (DT_RELACOUNT), then symbolic and TLS, IRELATIVE last (resolvers may call
        // anything, so everything else is in place before they run)
        List<long[]> rela = new ArrayList<>(); // {offset, info, addend}
        for (Planned p : planned) {
            rela.add(emit(p, exportAt, symoffset));
        }
        for (int i = 0; i < initTargets.size(); i++) {
            long v = arrayValue(initTargets.get(i), members);
            rela.add(new long[] {initAddr + 8L * i, rInfo(0, R.relative()), v});
            out.putLong((int) (initOff + 8L * i), v);
        }
        for (int i = 0; i < finiTargets.size(); i++) {
            long v = arrayValue(finiTargets.get(i), members);
            rela.add(new long[] {finiAddr + 8L * i, rInfo(0, R.relative()), v});
            out.putLong((int) (finiOff + 8L * i), v);
        }
        List<long[]> sorted = new ArrayList<>();
        for (int pass = 0; pass < 3; pass++) {
            for (long[] e : rela) {
                long t = rType(e[1]);
                int rank = t == R.relative() ? 0 : t == R.irelative() ? 2 : 1;
                if (rank == pass) {
                    sorted.add(e);
                }
            }
        }
        int relCount = 0;
        for (int i = 0; i < sorted.size(); i++) {
            long[] e = sorted.get(i);
            int o = (int) (relaOff + (long) i * RELA_SIZE);
            out.putLong(o, e[0]);
            out.putLong(o + 8, e[1]);
            out.putLong(o + 16, e[2]);
            if (rType(e[1]) == R.relative()) {
                relCount++;
            }
        }
        if (propertyNote != null) {
            out.put((int) noteOff, propertyNote);
        }
        if (ehNeeded) {
            out.put((int) ehOff, eh.bytes(ehOff));
        }
        // .dynamic
        for (String n : needed) {
            dyn.add(new long[] {DT_NEEDED, strings.add(n)});
        }
        dyn.add(new long[] {DT_SONAME, sonameOff});
        if (!initTargets.isEmpty()) {
            dyn.add(new long[] {DT_INIT_ARRAY, initAddr});
            dyn.add(new long[] {DT_INIT_ARRAYSZ, 8L * initTargets.size()});
        }
        if (!finiTargets.isEmpty()) {
            dyn.add(new long[] {DT_FINI_ARRAY, finiAddr});
            dyn.add(new long[] {DT_FINI_ARRAYSZ, 8L * finiTargets.size()});
        }
        dyn.add(new long[] {DT_GNU_HASH, gnuHashOff});
        dyn.add(new long[] {DT_HASH, sysvOff});
        dyn.add(new long[] {DT_STRTAB, dynstrOff});
        dyn.add(new long[] {DT_SYMTAB, dynsymOff});
        dyn.add(new long[] {DT_STRSZ, dynstrSize});
        dyn.add(new long[] {DT_SYMENT, SYM_SIZE});
        dyn.add(new long[] {DT_RELA, relaOff});
        dyn.add(new long[] {DT_RELASZ, (long) nRela * RELA_SIZE});
        dyn.add(new long[] {DT_RELAENT, RELA_SIZE});
        long flags = DF_BIND_NOW;
        long flags1 = DF_1_NOW;
        for (Member m : members) {
            flags |= m.flags() & DF_STATIC_TLS;
            flags1 |= m.flags1() & DF_1_NODELETE;
        }
        dyn.add(new long[] {DT_FLAGS, flags});
        dyn.add(new long[] {DT_FLAGS_1, flags1});
        if (versioned) {
            dyn.add(new long[] {DT_VERSYM, versymOff});
        }
        if (versions.hasVerdef()) {
            dyn.add(new long[] {DT_VERDEF, verdefOff});
            dyn.add(new long[] {DT_VERDEFNUM, versions.verdefCount()});
        }
        if (versions.hasVerneed()) {
            dyn.add(new long[] {DT_VERNEED, verneedOff});
            dyn.add(new long[] {DT_VERNEEDNUM, versions.verneedCount()});
        }
        if (relCount > 0) {
            dyn.add(new long[] {DT_RELACOUNT, relCount});
        }
        if (dyn.size() + 1 > dynCount) {
            throw new IllegalStateException(".dynamic overflow");
        }
        for (int i = 0; i < dyn.size(); i++) {
            out.putLong((int) (dynamicOff + 16L * i), dyn.get(i)[0]);
            out.putLong((int) (dynamicOff + 16L * i + 8), dyn.get(i)[1]);
        }
        // section headers
        out.put((int) shstrOff, shstrBytes);
        for (int i = 0; i < sections.size(); i++) {
            Section s = sections.get(i);
            new Elf64Shdr(s.name(), shNames.get(s.name()), s.type(), s.flags(), s.addr(), s.offset(), s.size(), s.link(), s.info(),
                    s.align(), s.entsize()).write(out, (int) (shoff + (long) i * SHDR_SIZE));
        }
        if (strings.size() != dynstrSize) {
            throw new IllegalStateException(".dynstr grew after it was placed");
        }

        // ---- read back, then move into place
        byte[] bytes = out.array();
        Path outFile = req.outputDir().resolve(target.path.getFileName().toString());
        ElfFile.read(bytes, outFile.toString()); // our own output must parse, or it is our fault
        if (write) {
            Files.createDirectories(req.outputDir());
            Path tmp = TempName.of(req.outputDir(), outFile.getFileName().toString());
            try {
                Files.write(tmp, bytes);
                tmp.toFile().setExecutable(true, false);
                Files.move(tmp, outFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        int inputExports = 0;
        for (Member m : members) {
            for (int i = 1; i < m.elf.syms.length; i++) {
                inputExports += m.exports(i) ? 1 : 0;
            }
        }
        List<String> exportNames = exports.stream().map(d -> d.name() + (d.version() != null ? "@" + d.version() : "")).sorted().toList();
        List<String> importNames = imports.stream().map(im -> im.name() + (im.version() != null ? "@" + im.version() : "")).toList();
        List<String> unprotected = members.stream().filter(m -> m != target && m.relro != null).map(m -> m.name).toList();
        return new MergeReport(outFile, total, resolver.scope.stream().map(m -> m.name).toList(), inputExports, exportNames,
                importNames, needed, bound, planned.size() - (int) planned.stream().filter(p -> p.kind() != Kind.SYMBOLIC).count(),
                unprotected);
    }

    // ------------------------------------------------------------------------------------------- passes

    private static List<SymbolResolver.Def> chooseExports(MergeRequest req, SymbolResolver resolver, Member target) {
        List<SymbolResolver.Def> out = new ArrayList<>();
        Set<String> taken = new LinkedHashSet<>();
        for (Member m : req.keepAll() ? resolver.scope : List.of(target)) {
            for (int i = 1; i < m.elf.syms.length; i++) {
                if (!m.exports(i)) {
                    continue;
                }
                String n = m.elf.name(i);
                boolean jni = n.startsWith("Java_") || n.startsWith("JNI_OnLoad") || n.startsWith("JNI_OnUnload");
                String key = n + "@" + m.elf.versionName(i) + (m.elf.isHiddenVersion(i) ? "h" : "");
                if ((req.keepAll() || jni) && taken.add(key)) {
                    out.add(new SymbolResolver.Def(m, i));
                }
            }
        }
        for (String n : req.keep().stream().sorted().toList()) {
            List<SymbolResolver.Def> d = resolver.definitions(n);
            if (d.isEmpty()) {
                throw new IsolateException(Setting.KEEP.token() + " " + n + ": no member exports '" + n + "'");
            }
            for (SymbolResolver.Def x : d) {
                String key = n + "@" + x.version() + (x.member().elf.isHiddenVersion(x.sym()) ? "h" : "");
                if (taken.add(key)) {
                    out.add(x);
                }
            }
        }
        return out;
    }

    private static Planned plan(Member m, Member.Rela r, SymbolResolver resolver, Member tlsMember,
            Map<Import, Integer> importIndex, Map<Import, int[]> importInfo, Map<SymbolResolver.Def, Integer> exportSlot) {
        MergeRelocs R = m.rel;
        long t = r.type();
        if (r.sym() >= m.elf.syms.length) {
            throw m.error("Elf64_Rela.r_info", r.at() + 8, "symbol " + r.sym() + " past .dynsym");
        }
        if (t == R.none()) {
            return null;
        }
        if (t == R.relative() || t == R.irelative()) {
            return new Planned(m, r, t, null, 0, Kind.REBASE);
        }
        boolean tls = R.isTls(t);
        if (!tls && t != R.abs64() && t != R.globDat() && t != R.jumpSlot()) {
            throw m.error("Elf64_Rela.r_info", r.at() + 8, (t == R.copy() ? "a copy relocation" : "relocation type "
                    + R.name(t)) + " at r_offset 0x" + Long.toHexString(r.r_offset())
                    + " is not supported by merge");
        }
        if (r.sym() == 0) {
            if (tls && m != tlsMember) {
                throw m.error("Elf64_Rela.r_info", r.at() + 8, R.name(t) + " against this module at r_offset 0x"
                        + Long.toHexString(r.r_offset()) + ", but it has no PT_TLS");
            }
            return new Planned(m, r, t, null, 0, Kind.AS_IS);
        }
        SymbolResolver.Def def = resolver.resolve(m, r.sym(), r);
        if (def != null && exportSlot.containsKey(def) && def.type() == STT_OBJECT) {
            // An exported object stays preemptible: an executable's copy relocation must see every reference.
            return new Planned(m, r, t == R.jumpSlot() ? R.globDat() : t, null, -1 - exportSlot.get(def), Kind.SYMBOLIC);
        }
        if (def == null) {
            Elf64Sym s = m.elf.syms[r.sym()];
            String name = m.elf.name(r.sym());
            String version = s.isDefined() ? null : m.elf.versionName(r.sym());
            String file = version == null ? null : m.elf.requiredFile(r.sym());
            Import im = new Import(name, file, version);
            Integer idx = importIndex.get(im);
            if (idx == null) {
                idx = importIndex.size() + 1;
                importIndex.put(im, idx);
                importInfo.put(im, new int[] {s.bind() == STB_WEAK ? STB_WEAK : STB_GLOBAL, s.type(), vnaFlags(m, r.sym())});
            } else if (s.bind() != STB_WEAK) {
                importInfo.get(im)[0] = STB_GLOBAL;
            }
            return new Planned(m, r, t == R.jumpSlot() ? R.globDat() : t, null, idx, Kind.SYMBOLIC);
        }
        boolean defTls = def.type() == STT_TLS;
        if (tls != defTls) {
            throw m.error("Elf64_Rela.r_info", r.at() + 8, R.name(t) + " against '" + def.name()
                    + "' (" + sttName(def.type()) + ") at r_offset 0x" + Long.toHexString(r.r_offset()) + " is not supported by merge");
        }
        if (tls) {
            return new Planned(m, r, t, def, 0, Kind.TLS_BOUND);
        }
        if (def.type() == STT_GNU_IFUNC) {
            if (t == R.abs64() && r.r_addend() != 0) {
                throw m.error("Elf64_Rela.r_addend", r.at() + 16, "R.abs64() with an addend against IFUNC '" + def.name()
                        + "' cannot be bound at merge time");
            }
            return new Planned(m, r, R.irelative(), def, 0, Kind.BOUND);
        }
        if (def.member().elf.syms[def.sym()].st_shndx() == SHN_ABS) {
            return new Planned(m, r, R.abs64(), def, 0, Kind.BOUND); // an absolute value: no load base added
        }
        return new Planned(m, r, R.relative(), def, 0, Kind.BOUND);
    }

    /** The output entry {offset, info, addend} of a planned relocation, bases now known. */
    private static long[] emit(Planned p, int[] exportAt, int symoffset) {
        Member.Rela r = p.r();
        MergeRelocs R = p.m().rel;
        long off = p.m().rebase(r.r_offset());
        return switch (p.kind()) {
            case REBASE -> new long[] {off, rInfo(0, p.type()), p.m().rebase(r.r_addend())};
            case AS_IS -> new long[] {off, rInfo(0, p.type()), r.r_addend()};
            case BOUND -> new long[] {off, rInfo(0, p.type()), p.def().value() + (r.type() == R.abs64() ? r.r_addend() : 0)};
            case TLS_BOUND -> new long[] {off, rInfo(0, p.type()), p.type() == R.dtpmod() ? 0 : p.def().value() + r.r_addend()};
            case SYMBOLIC -> new long[] {off, rInfo(p.sym() < 0 ? exportAt[-1 - p.sym()] : p.sym(), p.type()), r.r_addend()};
        };
    }

    /** Members in initialisation order: each after the members it needs (depth first), TARGET last. */
    static List<Member> initOrder(List<Member> members, SymbolResolver resolver) {
        List<Member> out = new ArrayList<>();
        Set<Member> visiting = new LinkedHashSet<>();
        for (int i = 1; i < members.size(); i++) {
            if (!reaches(members.get(0), members.get(i), resolver, new LinkedHashSet<>())) {
                visit(members.get(i), resolver, visiting, out);
            }
        }
        visit(members.get(0), resolver, visiting, out);
        return out;
    }

    private static boolean reaches(Member from, Member to, SymbolResolver resolver, Set<Member> seen) {
        if (from == to) {
            return true;
        }
        if (!seen.add(from)) {
            return false;
        }
        for (String n : from.elf.needed) {
            Member d = resolver.member(n);
            if (d != null && reaches(d, to, resolver, seen)) {
                return true;
            }
        }
        return false;
    }

    private static void visit(Member m, SymbolResolver resolver, Set<Member> visiting, List<Member> out) {
        if (!visiting.add(m)) {
            return; // done, or a cycle: its members keep the order they were reached in
        }
        for (String n : m.elf.needed) {
            Member d = resolver.member(n);
            if (d != null) {
                visit(d, resolver, visiting, out);
            }
        }
        out.add(m);
    }

    /**
     * Adds {member index, member-relative target} for {@code m}'s DT_INIT/DT_FINI ({@code fnTag}) or each slot
     * of its array ({@code arrTag}, {@code szTag}): an array slot's value is what its relocation would put there.
     */
    private static void collect(Member m, long fnTag, long arrTag, long szTag, List<long[]> out, SymbolResolver resolver) {
        if (fnTag != -1) {
            long f = m.elf.dynamic.get(fnTag);
            if (f != -1 && f != 0) {
                if (!m.inside(f, 1)) {
                    throw m.error(ElfFile.dtName(fnTag), m.elf.dynamic.offset(), "0x" + Long.toHexString(f) + " is not inside a PT_LOAD");
                }
                out.add(new long[] {m.index, f});
            }
            return;
        }
        long arr = m.elf.dynamic.get(arrTag);
        if (arr == -1) {
            return;
        }
        long size = m.elf.dynamic.get(szTag);
        if (size < 0 || size % 8 != 0 || !m.inside(arr, size)) {
            throw m.error(ElfFile.dtName(szTag), m.elf.dynamic.offset(), "bad array size " + size);
        }
        MergeRelocs R = m.rel;
        Map<Long, Member.Rela> at = new HashMap<>();
        for (Member.Rela r : m.relocs) {
            if (r.r_offset() >= arr && r.r_offset() < arr + size) {
                at.put(r.r_offset(), r);
            }
        }
        for (long slot = arr; slot < arr + size; slot += 8) {
            Member.Rela r = at.get(slot);
            if (r != null && r.type() == R.relative()) {
                if (!m.inside(r.r_addend(), 1)) {
                    throw m.error("Elf64_Rela.r_addend", r.at() + 16, "array slot 0x" + Long.toHexString(slot) + " of "
                            + ElfFile.dtName(arrTag) + " points outside the PT_LOADs");
                }
                out.add(new long[] {m.index, r.r_addend()});
            } else if (r != null && (r.type() == R.abs64() || r.type() == R.globDat()) && r.sym() != 0) {
                SymbolResolver.Def d = resolver.resolve(m, r.sym(), r);
                if (d == null || d.type() == STT_GNU_IFUNC || d.type() == STT_TLS) {
                    throw m.error("Elf64_Rela", r.at(), "array slot 0x" + Long.toHexString(slot) + " of " + ElfFile.dtName(arrTag)
                            + " names '" + m.elf.name(r.sym()) + "', which no member defines as a plain function");
                }
                out.add(new long[] {d.member().index, d.member().elf.syms[d.sym()].st_value() + r.r_addend()});
            } else {
                long off = m.elf.offsetOf(slot, 8, ElfFile.dtName(arrTag));
                long v = m.elf.bytes.u64(off, ElfFile.dtName(arrTag));
                if (v != 0 && v != -1) {
                    throw m.error(ElfFile.dtName(arrTag), off, "slot 0x" + Long.toHexString(slot)
                            + " holds an address without a relocation");
                }
            }
        }
    }

    private static long arrayValue(long[] t, List<Member> members) {
        return members.get((int) t[0]).rebase(t[1]);
    }

    /** The {@code vna_flags} (VER_FLG_WEAK) of the version symbol {@code i} requires, or 0. */
    private static int vnaFlags(Member m, int i) {
        if (m.elf.versions == null) {
            return 0;
        }
        int v = m.elf.versions[i] & VERSYM_VERSION;
        for (var n : m.elf.verneeds) {
            for (var a : n.versions()) {
                if ((a.vna_other() & VERSYM_VERSION) == v) {
                    return a.vna_flags();
                }
            }
        }
        return 0;
    }

    private static String firstTlsReloc(Member m) {
        MergeRelocs R = m.rel;
        for (Member.Rela r : m.relocs) {
            long t = r.type();
            if (R.isTls(t)) {
                return R.name(t) + " (first at r_offset 0x" + Long.toHexString(r.r_offset()) + ")";
            }
        }
        return "TLS";
    }

    private static boolean insideLoad(Member m, Elf64Shdr s) {
        for (Elf64Phdr p : m.loads) {
            if (s.sh_addr() >= p.p_vaddr() && s.sh_addr() + (s.sh_type() == SHT_NOBITS ? 0 : s.sh_size()) <= p.p_vaddr() + p.p_memsz()) {
                return true;
            }
        }
        return m.tls != null && (s.sh_flags() & SHF_TLS) != 0;
    }

    private static int sectionAt(List<Section> sections, long addr) {
        for (int i = 1; i < sections.size(); i++) {
            Section s = sections.get(i);
            if ((s.flags() & SHF_ALLOC) != 0 && addr >= s.addr() && addr <= s.addr() + s.size()) {
                return i;
            }
        }
        return SHN_ABS;
    }

    private static byte[] shstrtab(List<String> names, Map<String, Integer> offsets) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.write(0);
        for (String n : names) {
            if (!n.isEmpty() && !offsets.containsKey(n)) {
                offsets.put(n, b.size());
                byte[] x = n.getBytes(StandardCharsets.ISO_8859_1);
                b.write(x, 0, x.length);
                b.write(0);
            }
        }
        offsets.put("", 0);
        return b.toByteArray();
    }

    /** GNU ld's bucket counts for {@code .hash}: the largest of its primes not above the symbol count. */
    static int sysvBuckets(int nsyms) {
        int[] primes = {1, 3, 17, 37, 67, 97, 131, 197, 263, 521, 1031, 2053, 4099, 8209, 16411, 32771, 65537, 131101};
        int best = 1;
        for (int p : primes) {
            if (p <= nsyms) {
                best = p;
            }
        }
        return best;
    }

    static long align(long v, long a) {
        return (v + a - 1) & -a;
    }
}
