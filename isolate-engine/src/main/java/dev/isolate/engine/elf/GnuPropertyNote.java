package dev.isolate.engine.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * A {@code .note.gnu.property} of 32-bit properties: an {@code Elf64_Nhdr} ({@code n_namesz} 4, {@code n_descsz},
 * {@code n_type} {@code NT_GNU_PROPERTY_TYPE_0}), the name {@code "GNU\0"}, then each property ({@code pr_type},
 * {@code pr_datasz} 4, the value) padded to 8 bytes, as ELF64 requires, in the order given (the psABIs ask for
 * ascending {@code pr_type}). Written for the stubs (one feature) and for a merged file (the members' combined).
 */
public final class GnuPropertyNote {
    private GnuPropertyNote() {}

    /** One "AND" feature property: the linker keeps a feature in its output only if every input has it. */
    public static byte[] featureAnd(int prType, int bits) {
        return of(Map.of(prType, bits));
    }

    /** {@code properties}: pr_type to its 32-bit value, iterated in ascending unsigned pr_type. */
    public static byte[] of(Map<Integer, Integer> properties) {
        int descsz = 16 * properties.size(); // per property: pr_type, pr_datasz, 4 bytes of data, 4 of padding
        ByteBuffer b = ByteBuffer.allocate(Elf.NOTE_HEADER_SIZE + 4 + descsz).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(4).putInt(descsz).putInt(Elf.NT_GNU_PROPERTY_TYPE_0);
        b.put(new byte[] {'G', 'N', 'U', 0});
        properties.forEach((type, v) -> b.putInt(type).putInt(4).putInt(v).putInt(0));
        return b.array();
    }
}
