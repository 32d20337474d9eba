package dev.isolate.engine.stubs;

import dev.isolate.engine.elf.Elf;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A {@code .note.gnu.property} with one 32-bit "AND" feature property: an {@code Elf64_Nhdr}
 * ({@code n_namesz} 4, {@code n_descsz}, {@code n_type} {@code NT_GNU_PROPERTY_TYPE_0}), the name
 * {@code "GNU\0"}, then the property ({@code pr_type}, {@code pr_datasz} 4, the bits) padded to 8
 * bytes, as ELF64 requires. The linker keeps a feature in its output only if every input has it.
 */
final class GnuPropertyNote {
    private GnuPropertyNote() {}

    static byte[] featureAnd(int prType, int bits) {
        int descsz = 16; // pr_type, pr_datasz, 4 bytes of data, 4 bytes of padding
        ByteBuffer b = ByteBuffer.allocate(Elf.NOTE_HEADER_SIZE + 4 + descsz).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(4).putInt(descsz).putInt(Elf.NT_GNU_PROPERTY_TYPE_0);
        b.put(new byte[] {'G', 'N', 'U', 0});
        b.putInt(prType).putInt(4).putInt(bits).putInt(0);
        return b.array();
    }
}
