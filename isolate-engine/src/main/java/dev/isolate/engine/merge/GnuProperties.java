package dev.isolate.engine.merge;

import static dev.isolate.engine.elf.Elf.*;

import dev.isolate.engine.elf.Elf64Phdr;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The merged {@code .note.gnu.property}: each member's {@code NT_GNU_PROPERTY_TYPE_0} properties combined as a linker
 * combines its inputs' (x86-64 psABI "Program Property"; AArch64 ELF ABI): a 32-bit AND property (x86 IBT and SHSTK,
 * AArch64 BTI and PAC) stays only with the bits every member has, so a member without the note drops it; an OR
 * property (x86 ISA level needed) keeps every bit any member has; an OR-AND one (x86 features used) ORs, but only
 * when every member has it. Other properties (their meaning not known here) are left out, as is a property that
 * comes out 0. Without this note glibc treats the merged file as marked for none of them, safe but weaker.
 */
final class GnuProperties {
    private static final int X86_UINT32_AND_LO = 0xc0000002;
    private static final int X86_UINT32_AND_HI = 0xc0007fff;
    private static final int X86_UINT32_OR_LO = 0xc0008000;
    private static final int X86_UINT32_OR_HI = 0xc000ffff;
    private static final int X86_UINT32_OR_AND_LO = 0xc0010000;
    private static final int X86_UINT32_OR_AND_HI = 0xc0017fff;

    private enum Rule { AND, OR, OR_AND }

    private final Map<Integer, Integer> merged = new TreeMap<>(Integer::compareUnsigned);

    GnuProperties(List<Member> members, int machine) {
        Map<Integer, Integer> values = null;
        Map<Integer, Integer> seen = new TreeMap<>(Integer::compareUnsigned); // how many members have each property
        for (Member m : members) {
            Map<Integer, Integer> own = read(m, machine);
            own.forEach((type, v) -> seen.merge(type, 1, Integer::sum));
            if (values == null) {
                values = new TreeMap<>(own);
                continue;
            }
            for (var e : own.entrySet()) {
                Rule r = rule(e.getKey(), machine);
                values.merge(e.getKey(), e.getValue(), (a, b) -> r == Rule.AND ? a & b : a | b);
            }
        }
        if (values != null) {
            for (var e : values.entrySet()) {
                Rule r = rule(e.getKey(), machine);
                boolean everyMember = seen.get(e.getKey()) == members.size();
                if (e.getValue() != 0 && (r == Rule.OR || everyMember)) {
                    merged.put(e.getKey(), e.getValue());
                }
            }
        }
    }

    boolean isNeeded() {
        return !merged.isEmpty();
    }

    /** Nhdr, "GNU\0", then each property: pr_type, pr_datasz 4, the value, padded to 8 bytes. */
    byte[] note() {
        int descsz = 16 * merged.size();
        ByteBuffer b = ByteBuffer.allocate(NOTE_HEADER_SIZE + 4 + descsz).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(4).putInt(descsz).putInt(NT_GNU_PROPERTY_TYPE_0).put(new byte[] {'G', 'N', 'U', 0});
        merged.forEach((type, v) -> b.putInt(type).putInt(4).putInt(v).putInt(0));
        return b.array();
    }

    /** The combining rule of a 32-bit property of this machine, or null when it is none known here. */
    private static Rule rule(int type, int machine) {
        if (machine == EM_X86_64) {
            if (Integer.compareUnsigned(type, X86_UINT32_AND_LO) >= 0 && Integer.compareUnsigned(type, X86_UINT32_AND_HI) <= 0) {
                return Rule.AND;
            }
            if (Integer.compareUnsigned(type, X86_UINT32_OR_LO) >= 0 && Integer.compareUnsigned(type, X86_UINT32_OR_HI) <= 0) {
                return Rule.OR;
            }
            if (Integer.compareUnsigned(type, X86_UINT32_OR_AND_LO) >= 0 && Integer.compareUnsigned(type, X86_UINT32_OR_AND_HI) <= 0) {
                return Rule.OR_AND;
            }
        }
        return machine == EM_AARCH64 && type == GNU_PROPERTY_AARCH64_FEATURE_1_AND ? Rule.AND : null;
    }

    /**
     * The properties of {@code m} this class knows how to combine: from {@code PT_GNU_PROPERTY}, or else from the
     * {@code PT_NOTE} segments, the notes owned by "GNU" of type {@code NT_GNU_PROPERTY_TYPE_0}.
     */
    private static Map<Integer, Integer> read(Member m, int machine) {
        Map<Integer, Integer> out = new TreeMap<>(Integer::compareUnsigned);
        Elf64Phdr property = null;
        for (Elf64Phdr p : m.elf.phdrs) {
            if (p.p_type() == PT_GNU_PROPERTY) {
                property = p;
            }
        }
        for (Elf64Phdr p : m.elf.phdrs) {
            if (property != null ? p == property : p.p_type() == PT_NOTE) {
                readNotes(m, p, machine, out);
            }
        }
        return out;
    }

    private static void readNotes(Member m, Elf64Phdr p, int machine, Map<Integer, Integer> out) {
        var b = m.elf.bytes;
        long at = p.p_offset();
        long end = at + p.p_filesz();
        b.check(at, p.p_filesz(), ptName(p.p_type()));
        long align = p.p_align() == 8 ? 8 : 4;
        while (end - at >= NOTE_HEADER_SIZE) {
            long namesz = b.u32(at, "Elf64_Nhdr.n_namesz");
            long descsz = b.u32(at + 4, "Elf64_Nhdr.n_descsz");
            long type = b.u32(at + 8, "Elf64_Nhdr.n_type");
            long name = at + NOTE_HEADER_SIZE;
            // Padded from the note's start, as ld.so reads them: in an 8-aligned segment "GNU\0" ends at 16, on a boundary.
            long desc = at + ((NOTE_HEADER_SIZE + namesz + align - 1) & -align);
            long next = desc + ((descsz + align - 1) & -align);
            if (next > end || next <= at) {
                throw m.error(ptName(p.p_type()), at, "a note of " + namesz + " + " + descsz + " bytes runs past its segment");
            }
            boolean gnu = namesz == 4 && b.u32(name, "Elf64_Nhdr name") == 0x00554e47L; // "GNU\0"
            if (gnu && type == NT_GNU_PROPERTY_TYPE_0) {
                for (long q = desc; desc + descsz - q >= 8; ) {
                    int prType = (int) b.u32(q, "GNU property pr_type");
                    long size = b.u32(q + 4, "GNU property pr_datasz");
                    if (size > desc + descsz - q - 8) {
                        throw m.error("GNU property", q, "pr_datasz " + size + " runs past its note");
                    }
                    if (size == 4 && rule(prType, machine) != null) {
                        out.put(prType, (int) b.u32(q + 8, "GNU property data"));
                    }
                    q += 8 + ((size + 7) & -8);
                }
            }
            at = next;
        }
    }
}
