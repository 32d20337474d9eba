package dev.isolate.loader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Reads the {@code PT_INTERP} path of an ELF executable: the ELF header, then the program header table. Both ELF
 * classes and byte orders. The loader has no dependencies, so the few constants are repeated here from the gABI
 * rather than taken from the engine.
 */
final class ElfInterp {
    private ElfInterp() {}

    static final int EI_CLASS = 4;
    static final int EI_DATA = 5;
    static final int ELFCLASS32 = 1;
    static final int ELFCLASS64 = 2;
    static final int ELFDATA2LSB = 1;
    static final int ELFDATA2MSB = 2;
    static final int PT_INTERP = 3;
    /** No interpreter path is longer than this; a larger {@code p_filesz} is a malformed file. */
    private static final int MAX_INTERP = 4096;

    /** The interpreter path, or empty for a file without {@code PT_INTERP} (a static executable). */
    static Optional<String> read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer ident = read(ch, 0, 16, file);
            if (ident.getInt(0) != 0x7f454c46) { // "\177ELF", big-endian as a ByteBuffer reads it
                throw new IOException(file + ": not an ELF file");
            }
            int cls = ident.get(EI_CLASS);
            int data = ident.get(EI_DATA);
            if ((cls != ELFCLASS32 && cls != ELFCLASS64) || (data != ELFDATA2LSB && data != ELFDATA2MSB)) {
                throw new IOException(file + ": bad EI_CLASS " + cls + " or EI_DATA " + data);
            }
            boolean is64 = cls == ELFCLASS64;
            ByteOrder order = data == ELFDATA2LSB ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            ByteBuffer ehdr = read(ch, 0, is64 ? 64 : 52, file).order(order);
            long phoff = is64 ? ehdr.getLong(32) : Integer.toUnsignedLong(ehdr.getInt(28));
            int phentsize = Short.toUnsignedInt(ehdr.getShort(is64 ? 54 : 42));
            int phnum = Short.toUnsignedInt(ehdr.getShort(is64 ? 56 : 44));
            int minEntry = is64 ? 56 : 32;
            if (phnum == 0) {
                return Optional.empty();
            }
            if (phentsize < minEntry || phoff < 0) {
                throw new IOException(file + ": bad e_phentsize " + phentsize + " or e_phoff " + phoff);
            }
            ByteBuffer phdrs = read(ch, phoff, (long) phentsize * phnum, file).order(order);
            for (int i = 0; i < phnum; i++) {
                int at = i * phentsize;
                if (phdrs.getInt(at) != PT_INTERP) {
                    continue;
                }
                long offset = is64 ? phdrs.getLong(at + 8) : Integer.toUnsignedLong(phdrs.getInt(at + 4));
                long size = is64 ? phdrs.getLong(at + 32) : Integer.toUnsignedLong(phdrs.getInt(at + 16));
                if (offset < 0 || size <= 0 || size > MAX_INTERP) {
                    throw new IOException(file + ": bad PT_INTERP p_offset " + offset + " p_filesz " + size);
                }
                byte[] path = new byte[(int) size];
                read(ch, offset, (int) size, file).get(path);
                int len = 0;
                while (len < path.length && path[len] != 0) {
                    len++;
                }
                return Optional.of(new String(path, 0, len, StandardCharsets.UTF_8));
            }
            return Optional.empty();
        }
    }

    /** Checks the range against the file's size before allocating, so a hostile count cannot exhaust memory. */
    private static ByteBuffer read(FileChannel ch, long offset, long length, Path file) throws IOException {
        if (length > Integer.MAX_VALUE || offset + length > ch.size()) {
            throw new IOException(file + ": " + length + " bytes at offset " + offset + " run past the end (" + ch.size() + " bytes)");
        }
        ByteBuffer b = ByteBuffer.allocate((int) length);
        while (b.hasRemaining()) {
            if (ch.read(b, offset + b.position()) < 0) {
                throw new IOException(file + ": truncated at offset " + (offset + b.position()));
            }
        }
        return b.flip();
    }
}
