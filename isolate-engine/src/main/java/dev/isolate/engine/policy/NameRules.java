package dev.isolate.engine.policy;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The rules for the names a request gives and the engine derives, each in one place: the command line, the
 * Maven plugin and the engine's own checks ask here. Each rule's text ({@code must be ...}) follows the name of
 * the setting in every front end's message.
 */
public final class NameRules {
    private NameRules() {}

    private static final Pattern C_PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern LIBRARY_FILE_NAME = Pattern.compile("[A-Za-z0-9_+][A-Za-z0-9_+.-]*\\.so(\\.[A-Za-z0-9_+.-]*)?");

    public static final String PREFIX_RULE = "must be a C identifier prefix (" + C_PREFIX.pattern() + "), e.g. acme_";
    public static final String FILE_NAME_RULE = "must be a plain file name";
    public static final String LINK_NAME_RULE = "must be a link name (" + ArtifactNames.VALID_NAME.pattern() + ")";

    /** A prefix the new names can start with: the start of a C identifier, so C code can still spell them. */
    public static boolean isPrefix(String prefix) {
        return prefix != null && C_PREFIX.matcher(prefix).matches();
    }

    /** A name the output can be written under in one directory: no '/', no NUL, not '.' or '..'. */
    public static boolean isPlainFileName(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0 && name.indexOf('\0') < 0;
    }

    /** A link name N ({@code -lN}): it becomes part of file names, a linker script and a C include guard. */
    public static boolean isLinkName(String name) {
        return ArtifactNames.VALID_NAME.matcher(name).matches();
    }

    /**
     * A SONAME to derive names from: a plain library file name such as {@code libzstd.so.1}, {@code libLLVM-15.so.1}
     * or {@code ld-linux-x86-64.so.2}. Not a path ({@code ../build/libjnidispatch.so}), not a build-system placeholder
     * ({@code libnetty_tcnative-@VERSION@.so}), nothing with blanks or other characters a link name cannot hold.
     */
    public static boolean isLibraryFileName(String soname) {
        return LIBRARY_FILE_NAME.matcher(soname).matches();
    }

    /**
     * A library's own name, what its default names are derived from and a loader finds it by: its SONAME when that is
     * a plain library file name, else its file name (JNA's SONAME is a path, {@code ../build/libjnidispatch.so};
     * netty's has a placeholder, {@code libnetty_tcnative-@VERSION@.so}).
     */
    public static String nameBase(String soname, Path input) {
        return soname != null && isLibraryFileName(soname) ? soname : input.getFileName().toString();
    }

    /**
     * The file name whose bytes on disk are exactly the SONAME's bytes ({@code soname} holds one char per
     * byte, as read from {@code .dynstr}), or null when this JVM's file-name encoding cannot spell them:
     * a loader finds a library by its SONAME, so the two must agree byte for byte.
     */
    public static String fileNameFor(String soname) {
        byte[] raw = soname.getBytes(StandardCharsets.ISO_8859_1);
        Charset fs;
        try {
            fs = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (IllegalArgumentException e) {
            fs = StandardCharsets.UTF_8;
        }
        String name = new String(raw, fs);
        return Arrays.equals(name.getBytes(fs), raw) ? name : null;
    }
}
