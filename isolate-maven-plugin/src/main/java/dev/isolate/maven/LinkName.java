package dev.isolate.maven;

/**
 * {@code <linkName><from>libz.so.1</from><to>acmez</to></linkName>}: the link name N of a member's artifacts for
 * native consumers ({@code -lN}: {@code libN_stubs.a}, {@code libN.so}), by hand. The CLI's {@code --name OLD=N}.
 */
public class LinkName {
    /** The member's SONAME before isolation, or its file name. */
    String from;
    /** The link name it gets. */
    String to;
}
