package dev.isolate.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NativeIndexTest {
    static final String R = "jar:file:/x.jar!/native/linux-x86_64/isolate.index";
    static final String HEAD = "# isolate native index 1\n# file\tsha256\tsize\tsoname\toriginal\tneeds\n";
    static final String H1 = "1".repeat(64);
    static final String H2 = "ab".repeat(32);

    static String line(String file, String soname, String original, String needs) {
        return file + "\t" + H1 + "\t123\t" + soname + "\t" + original + "\t" + needs + "\n";
    }

    static NativeIndex parse(String text) {
        return NativeIndex.parse(R, text.getBytes(StandardCharsets.UTF_8));
    }

    static String error(String text) {
        return assertThrows(NativeLoadError.class, () -> parse(text), text).getMessage();
    }

    @Test
    void parsesTheContractExample() {
        String text = HEAD + "libacme_z.so.1\t" + H1 + "\t123456\tlibacme_z.so.1\tlibz.so.1\t-\n"
                + "libglue.so\t" + H2 + "\t3456\tlibglue.so\tlibglue.so\tlibacme_z.so.1\n";
        NativeIndex index = parse(text);
        assertEquals(List.of(new NativeIndex.Member(3, "libacme_z.so.1", H1, 123456, "libacme_z.so.1", "libz.so.1", List.of()),
                new NativeIndex.Member(4, "libglue.so", H2, 3456, "libglue.so", "libglue.so", List.of("libacme_z.so.1"))), index.members);
        assertEquals(R, index.resource);
        assertEquals(BundleFixture.sha256(text.getBytes(StandardCharsets.UTF_8)), index.sha256, "the hash of the index bytes");
    }

    @Test
    void commentsAnywhereNoFinalNewlineAndNoSoname() {
        NativeIndex index = parse(HEAD + "# a comment\n" + line("liba.so", "-", "liba.so", "-").stripTrailing());
        assertEquals(1, index.members.size());
        assertNull(index.members.get(0).soname(), "'-' means no soname");
        assertEquals(4, index.members.get(0).line());
    }

    @Test
    void loadOrderIsTheTransitiveNeedsInIndexOrderThenTheMember() {
        // a diamond, and a member nobody needs in the middle
        NativeIndex index = parse(HEAD + line("libd.so", "libd.so", "libd.so", "-") + line("libx.so", "libx.so", "libx.so", "-")
                + line("libb.so", "libb.so", "libb.so", "libd.so") + line("libc.so", "libc2.so", "libc.so", "libd.so")
                + line("liba.so", "liba.so", "liba.so", "libc.so,libb.so"));
        assertEquals(List.of("libd.so", "libb.so", "libc.so", "liba.so"), files(index.loadOrder(index.member("liba.so"))));
        assertEquals(List.of("libd.so", "libc.so"), files(index.loadOrder(index.member("libc.so"))));
        assertEquals(List.of("libx.so"), files(index.loadOrder(index.member("libx.so"))));
    }

    static List<String> files(List<NativeIndex.Member> members) {
        return members.stream().map(NativeIndex.Member::file).toList();
    }

    @ParameterizedTest
    @CsvSource({
        "libacme_z.so.1, 3", "libz.so.1, 3", "libacme_z.so.2, 3", // file, original, soname
        "z, 2", "acme_z, 2", "libz.so, 0", "acme, 0", "libacme_z.so, 0", "z.so.1, 0", "''  , 0"})
    void matchesByFileSonameOrOriginalExactlyThenAsLibNameSo(String name, int expected) {
        NativeIndex.Member m = new NativeIndex.Member(3, "libacme_z.so.1", H1, 1, "libacme_z.so.2", "libz.so.1", List.of());
        assertEquals(expected, NativeIndex.match(m, name), name);
    }

    @Test
    void libNameSoMatchesWithoutVersion() {
        NativeIndex.Member m = new NativeIndex.Member(3, "libglue.so", H1, 1, null, "libglue.so", List.of());
        assertEquals(2, NativeIndex.match(m, "glue"));
        assertEquals(0, NativeIndex.match(m, "glu"));
    }

    /** JNI libraries that carry their release in the file name, as published (zstd-jni, jffi), isolated or not. */
    @ParameterizedTest
    @CsvSource({
        "zstd-jni, 1", "zstd-jni-1.5.7, 1", "zstd-jni-1.5.7-21, 2", "libzstd-jni-1.5.7-21.so, 3", "libzjx_zstd-jni-1.5.7-21.so, 3",
        "zstd, 0", "zstd-jni-1, 0", "zstd-j, 0", "zjx_zstd-jni, 1"})
    void libNameVersionSoMatchesByTheNameAlone(String name, int expected) {
        NativeIndex.Member m = new NativeIndex.Member(3, "libzjx_zstd-jni-1.5.7-21.so", H1, 1, null, "libzstd-jni-1.5.7-21.so", List.of());
        assertEquals(expected, NativeIndex.match(m, name), name);
    }

    @ParameterizedTest
    @CsvSource({"libjffi-1.2.so, jffi, 1", "libjffi-1.2.so.3, jffi, 1", "libjffi-x1.2.so, jffi, 0", "libjffi-.so, jffi, 0",
        "libjffi-1.2.sox, jffi, 0", "libjffi-1.2, jffi, 0", "libjffi-1.so, jffi-1, 2"})
    void theVersionStartsWithADigitAndTheNameEndsInSo(String file, String name, int expected) {
        NativeIndex.Member m = new NativeIndex.Member(3, file, H1, 1, null, file, List.of());
        assertEquals(expected, NativeIndex.match(m, name), file + " by " + name);
    }

    // ---- each bad index, with its message ----------------------------------------------------------------------

    @Test
    void notAnIndex() {
        String must = "(the first line must be '# isolate native index 1' or '# isolate native index 2')";
        assertEquals(R + ":1: not an isolate index " + must, error("hello\n"));
        assertEquals(R + ":1: not an isolate index " + must, error(""));
    }

    @Test
    void otherVersion() {
        assertEquals(R + ":1: index version '3' is not supported: this isolate-loader reads versions 1 and 2; use the isolate-loader of"
                + " the plugin version that wrote the bundle", error("# isolate native index 3\n" + line("liba.so", "liba.so", "liba.so", "-")));
    }

    @Test
    void versionOneIsRenamedVersionTwoSaysItsMode() {
        assertEquals(NativeIndex.RENAME, parse(HEAD + line("liba.so", "liba.so", "liba.so", "-")).mode);
        String v2 = "# isolate native index 2\nmode\tsegregate\n# file\tsha256\tsize\tsoname\toriginal\tneeds\n";
        NativeIndex seg = parse(v2 + line("liba.so", "liba.so", "liba.so", "-"));
        assertEquals(NativeIndex.SEGREGATE, seg.mode);
        assertEquals(4, seg.members.get(0).line());
        assertEquals(NativeIndex.RENAME, parse("# isolate native index 2\nmode\trename\n" + line("liba.so", "liba.so", "liba.so", "-")).mode);
        assertEquals(R + ":2: expected 'mode<TAB>rename' or 'mode<TAB>segregate' after the version 2 line, found 'mode\\x09merge'",
                error("# isolate native index 2\nmode\tmerge\n" + line("liba.so", "liba.so", "liba.so", "-")));
        assertEquals(R + ":2: expected 'mode<TAB>rename' or 'mode<TAB>segregate' after the version 2 line, found ''",
                error("# isolate native index 2\n"));
    }

    @Test
    void noMembers() {
        assertEquals(R + ": the index lists no libraries", error(HEAD));
    }

    @Test
    void notUtf8() {
        byte[] bad = (HEAD + "lib\u00e9.so").getBytes(StandardCharsets.ISO_8859_1);
        String msg = assertThrows(NativeLoadError.class, () -> NativeIndex.parse(R, bad)).getMessage();
        assertEquals(R + ": not valid UTF-8 (Input length = 1)", msg);
    }

    @Test
    void fieldCount() {
        assertEquals(R + ":3: 5 tab-separated fields, expected 6 (file, sha256, size, soname, original, needs)",
                error(HEAD + "liba.so\t" + H1 + "\t1\tliba.so\tliba.so\n"));
        assertEquals(R + ":3: 1 tab-separated fields, expected 6 (file, sha256, size, soname, original, needs)",
                error(HEAD + "liba.so " + H1 + " 1 liba.so liba.so -\n"));
    }

    @Test
    void emptyLineAndCarriageReturn() {
        assertEquals(R + ":3: empty line (expected file, sha256, size, soname, original, needs separated by tabs)",
                error(HEAD + "\n" + line("liba.so", "liba.so", "liba.so", "-")));
        assertEquals(R + ":3: carriage return in the line (the index uses LF line ends only)",
                error(HEAD + line("liba.so", "liba.so", "liba.so", "-").replace("\n", "\r\n")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "../libx.so | bad file '../libx.so': contains a path separator",
        "sub/libx.so | bad file 'sub/libx.so': contains a path separator",
        "/libx.so | bad file '/libx.so': contains a path separator",
        ".. | bad file '..': is not a file name",
        ". | bad file '.': is not a file name",
        ".libx.so | bad file '.libx.so': starts with '.' (reserved for the loader's temporary files)",
        "isolate.index | file 'isolate.index' is the index's own name",
        "lib#x.so | bad file 'lib#x.so': only letters, digits and . _ + - are allowed",
        "lib x.so | bad file 'lib x.so': only letters, digits and . _ + - are allowed",
        "lib%2e.so | bad file 'lib%2e.so': only letters, digits and . _ + - are allowed"})
    void badFileNames(String file, String message) {
        assertEquals(R + ":3: " + message, error(HEAD + line(file, "liba.so", "liba.so", "-")));
    }

    @Test
    void nulAndControlCharacters() {
        assertEquals(R + ":3: bad file 'lib\\x00x.so': contains a control character or NUL", error(HEAD + line("lib\0x.so", "a", "a", "-")));
        assertEquals(R + ":3: bad original 'lib\\x1bx.so': contains a control character or NUL",
                error(HEAD + line("liba.so", "liba.so", "lib\u001bx.so", "-")));
        assertEquals(R + ":3: bad file '': is empty", error(HEAD + line("", "liba.so", "liba.so", "-")));
        assertEquals(R + ":3: bad file '" + "l".repeat(256) + "': is longer than 255 bytes",
                error(HEAD + line("l".repeat(256), "liba.so", "liba.so", "-")));
    }

    @Test
    void badSonameOriginalAndNeedNames() {
        assertEquals(R + ":3: bad soname '../x': contains a path separator", error(HEAD + line("liba.so", "../x", "liba.so", "-")));
        assertEquals(R + ":3: bad original '..': is not a file name", error(HEAD + line("liba.so", "liba.so", "..", "-")));
        assertEquals(R + ":4: bad needs '': is empty",
                error(HEAD + line("liba.so", "liba.so", "liba.so", "-") + line("libb.so", "libb.so", "libb.so", "liba.so,")));
    }

    @ParameterizedTest
    @CsvSource({"abc", "ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB",
        "111111111111111111111111111111111111111111111111111111111111111", // 63 digits
        "11111111111111111111111111111111111111111111111111111111111111111", // 65
        "g111111111111111111111111111111111111111111111111111111111111111"})
    void badHash(String sha) {
        assertEquals(R + ":3: bad sha256 '" + sha + "' of 'liba.so' (expected 64 lowercase hex digits)",
                error(HEAD + "liba.so\t" + sha + "\t1\tliba.so\tliba.so\t-\n"));
    }

    @ParameterizedTest
    @CsvSource({"-1", "+1", "1e3", "''", "0x10", "1234567890123456789"})
    void badSize(String size) {
        assertEquals(R + ":3: bad size '" + size + "' of 'liba.so' (expected a decimal byte count)",
                error(HEAD + "liba.so\t" + H1 + "\t" + size + "\tliba.so\tliba.so\t-\n"));
    }

    @Test
    void needThatIsNotAMember() {
        assertEquals(R + ":4: 'libb.so' needs 'libz.so.1', which is not a member of the index",
                error(HEAD + line("liba.so", "liba.so", "liba.so", "-") + line("libb.so", "libb.so", "libb.so", "liba.so,libz.so.1")));
    }

    @Test
    void needListedTwice() {
        assertEquals(R + ":4: 'libb.so' needs 'liba.so' twice",
                error(HEAD + line("liba.so", "liba.so", "liba.so", "-") + line("libb.so", "libb.so", "libb.so", "liba.so,liba.so")));
    }

    @Test
    void cycles() {
        assertEquals(R + ":3: dependency cycle liba.so -> liba.so", error(HEAD + line("liba.so", "liba.so", "liba.so", "liba.so")));
        assertEquals(R + ":4: dependency cycle libb.so -> libc.so -> libd.so -> libb.so",
                error(HEAD + line("liba.so", "liba.so", "liba.so", "-") + line("libb.so", "libb.so", "libb.so", "liba.so,libc.so")
                        + line("libc.so", "libc.so", "libc.so", "libd.so") + line("libd.so", "libd.so", "libd.so", "libb.so")));
    }

    @Test
    void dependencyListedAfterTheMemberThatNeedsIt() {
        assertEquals(R + ":3: 'libb.so' needs 'liba.so', which is listed after it (line 4): members are listed dependencies first",
                error(HEAD + line("libb.so", "libb.so", "libb.so", "liba.so") + line("liba.so", "liba.so", "liba.so", "-")));
    }

    @Test
    void duplicates() {
        assertEquals(R + ":4: file 'liba.so' is already listed on line 3",
                error(HEAD + line("liba.so", "liba.so", "liba.so", "-") + line("liba.so", "libb.so", "libb.so", "-")));
        assertEquals(R + ":4: soname 'libx.so' is already the soname of 'liba.so' (line 3): the dynamic loader would take one"
                + " for the other", error(HEAD + line("liba.so", "libx.so", "liba.so", "-") + line("libb.so", "libx.so", "libb.so", "-")));
    }
}
