package dev.isolate.engine.merge;

import static dev.isolate.engine.elf.Elf.*;

import dev.isolate.engine.elf.Elf64Phdr;
import dev.isolate.engine.elf.GnuPropertyNote;
import dev.isolate.engine.elf.Notes;
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
        Map<Integer, Integer> values = new TreeMap<>(Integer::compareUnsigned);
        Map<Integer, Integer> seen = new TreeMap<>(Integer::compareUnsigned); // how many members have each property
        for (Member m : members) {
            read(m, machine).forEach((type, v) -> {
                seen.merge(type, 1, Integer::sum);
                values.merge(type, v, rule(type, machine) == Rule.AND ? (a, b) -> a & b : (a, b) -> a | b);
            });
        }
        values.forEach((type, v) -> {
            if (v != 0 && (rule(type, machine) == Rule.OR || seen.get(type) == members.size())) {
                merged.put(type, v);
            }
        });
    }

    boolean isNeeded() {
        return !merged.isEmpty();
    }

    byte[] note() {
        return GnuPropertyNote.of(merged);
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
        for (Notes.Note n : Notes.of(b, p)) {
            if (!n.name().equals("GNU\0") || n.type() != NT_GNU_PROPERTY_TYPE_0) {
                continue;
            }
            long end = n.desc() + n.descsz();
            for (long q = n.desc(); end - q >= 8; ) {
                int prType = (int) b.u32(q, "GNU property pr_type");
                long size = b.u32(q + 4, "GNU property pr_datasz");
                if (size > end - q - 8) {
                    throw m.error("GNU property", q, "pr_datasz " + size + " runs past its note");
                }
                if (size == 4 && rule(prType, machine) != null) {
                    out.put(prType, (int) b.u32(q + 8, "GNU property data"));
                }
                q += 8 + ((size + 7) & -8);
            }
        }
    }
}
