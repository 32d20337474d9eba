package dev.isolate.maven;

/** {@code <soname><from>libz.so.1</from><to>libacme_zlib.so.1</to></soname>}: a member's new SONAME, by hand. */
public class SonameOverride {
    /** The member's SONAME before isolation, or its file name. */
    String from;
    /** The SONAME (and file name) it gets. */
    String to;
}
