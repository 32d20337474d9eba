package dev.isolate.engine.ar;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The 60-byte {@code struct ar_hdr}: {@code ar_name[16]}, {@code ar_date[12]}, {@code ar_uid[6]},
 * {@code ar_gid[6]}, {@code ar_mode[8]}, {@code ar_size[10]}, {@code ar_fmag[2]} = {@code "`\n"}, each
 * field ASCII, left-justified, space-padded. Written the way GNU {@code ar D} (deterministic mode)
 * writes them: date, uid and gid 0, members mode 644, the index mode 0, the long-name table with
 * only its name and size; so the same members always give the same bytes. Each kind of header is a
 * fixed template with its name and size patched in, so a member's header costs one copy.
 */
final class MemberHeader {
    static final int SIZE = 60;
    static final byte[] MAGIC = "!<arch>\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final int AR_NAME_WIDTH = 16;
    private static final int AR_SIZE = 48;
    private static final int AR_SIZE_WIDTH = 10;

    private static final byte[] MEMBER = template("0", "0", "0", "644");
    private static final byte[] SYMBOL_INDEX = template("0", "0", "0", "0");
    private static final byte[] LONG_NAMES = template("", "", "", "");

    private MemberHeader() {}

    /** A member named {@code name/} ({@code longNameOffset < 0}) or {@code /longNameOffset}. */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): the low byte of each char, no charset
    static void member(ByteBuffer out, String name, long longNameOffset, long size) {
        int at = start(out, MEMBER, size);
        byte[] a = out.array();
        int p = out.arrayOffset() + at;
        if (longNameOffset < 0) {
            if (name.length() + 1 > AR_NAME_WIDTH) {
                throw new IllegalStateException("ar member name '" + name + "' is wider than " + (AR_NAME_WIDTH - 1));
            }
            name.getBytes(0, name.length(), a, p);
            a[p + name.length()] = '/';
        } else {
            a[p] = '/';
            digits(a, p + 1, longNameOffset, AR_NAME_WIDTH - 1);
        }
    }

    static void symbolIndex(ByteBuffer out, long size) {
        out.array()[out.arrayOffset() + start(out, SYMBOL_INDEX, size)] = '/';
    }

    static void longNames(ByteBuffer out, long size) {
        int p = out.arrayOffset() + start(out, LONG_NAMES, size);
        out.array()[p] = '/';
        out.array()[p + 1] = '/';
    }

    /** Copies the template, patches {@code ar_size}, advances past the header and returns where it starts. */
    private static int start(ByteBuffer out, byte[] template, long size) {
        int at = out.position();
        out.put(template);
        digits(out.array(), out.arrayOffset() + at + AR_SIZE, size, AR_SIZE_WIDTH);
        return at;
    }

    /** {@code v} in decimal at {@code a[p]}, into a field of {@code width} bytes already space-filled. */
    private static void digits(byte[] a, int p, long v, int width) {
        int n = 1;
        for (long x = v / 10; x != 0; x /= 10) {
            n++;
        }
        if (v < 0 || n > width) {
            throw new IllegalStateException("ar header field " + v + " is wider than " + width);
        }
        for (int i = p + n - 1; i >= p; i--) {
            a[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
    }

    /** A header with an empty name and size, and these other fields. */
    private static byte[] template(String date, String uid, String gid, String mode) {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        field(b, "", AR_NAME_WIDTH);
        field(b, date, 12);
        field(b, uid, 6);
        field(b, gid, 6);
        field(b, mode, 8);
        field(b, "", AR_SIZE_WIDTH);
        b.put((byte) '`').put((byte) '\n');
        if (b.position() != SIZE) {
            throw new IllegalStateException("ar header of " + b.position() + " bytes");
        }
        return b.array();
    }

    private static void field(ByteBuffer out, String v, int width) {
        byte[] b = v.getBytes(StandardCharsets.ISO_8859_1);
        out.put(b);
        for (int i = b.length; i < width; i++) {
            out.put((byte) ' ');
        }
    }
}
