package dev.isolate.engine.ar;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The 60-byte {@code struct ar_hdr}: {@code ar_name[16]}, {@code ar_date[12]}, {@code ar_uid[6]},
 * {@code ar_gid[6]}, {@code ar_mode[8]}, {@code ar_size[10]}, {@code ar_fmag[2]} = {@code "`\n"}, each
 * field ASCII, left-justified, space-padded. Written the way GNU {@code ar D} (deterministic mode)
 * writes them: date, uid and gid 0, members mode 644, the index mode 0, the long-name table with
 * only its name and size; so the same members always give the same bytes.
 */
final class MemberHeader {
    static final int SIZE = 60;
    static final String MAGIC = "!<arch>\n";

    private MemberHeader() {}

    static void member(ByteBuffer out, String arName, long size) {
        write(out, arName, "0", "0", "0", "644", size);
    }

    static void symbolIndex(ByteBuffer out, long size) {
        write(out, "/", "0", "0", "0", "0", size);
    }

    static void longNames(ByteBuffer out, long size) {
        write(out, "//", "", "", "", "", size);
    }

    private static void write(ByteBuffer out, String name, String date, String uid, String gid, String mode, long size) {
        int start = out.position();
        field(out, name, 16);
        field(out, date, 12);
        field(out, uid, 6);
        field(out, gid, 6);
        field(out, mode, 8);
        field(out, Long.toString(size), 10);
        out.put((byte) '`').put((byte) '\n');
        if (out.position() - start != SIZE) {
            throw new IllegalStateException("ar header of " + (out.position() - start) + " bytes");
        }
    }

    private static void field(ByteBuffer out, String v, int width) {
        byte[] b = v.getBytes(StandardCharsets.ISO_8859_1);
        if (b.length > width) {
            throw new IllegalStateException("ar header field '" + v + "' is wider than " + width);
        }
        out.put(b);
        for (int i = b.length; i < width; i++) {
            out.put((byte) ' ');
        }
    }
}
