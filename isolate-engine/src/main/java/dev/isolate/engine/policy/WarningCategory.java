package dev.isolate.engine.policy;

/** Things worth a user's attention; {@code --werror} makes them fatal, {@code --allow-<id>} permits one. */
public enum WarningCategory {
    /** A data export is renamed: consumers cannot reach it through a stub, only through the header. */
    OBJECT_SYMBOL("object-symbol"),
    /** A TLS export is renamed: like data, no stub can stand in for it. */
    TLS_SYMBOL("tls-symbol"),
    /** An IFUNC export is renamed: it works through a PLT stub, but resolvers are less tested. */
    IFUNC_SYMBOL("ifunc-symbol"),
    /** A versioned export is renamed; its version is kept. */
    VERSIONED_SYMBOL("versioned-symbol"),
    /** A weak definition of a C library name is left alone: renaming it would change which copy the process uses. */
    WEAK_OVERRIDE("weak-override"),
    /**
     * A strong definition of a C runtime name is left alone too: renamed, the library's own calls would bind to
     * it, where the original bound to libc's whenever libc was loaded first (which in a JVM it always is).
     */
    LIBC_DEFINITION("libc-definition"),
    /** A bundle member needs a library that is neither in the bundle nor a system library: it may clash. */
    UNBUNDLED_DEPENDENCY("unbundled-dependency");

    private final String id;

    WarningCategory(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static WarningCategory byId(String id) {
        for (WarningCategory c : values()) {
            if (c.id.equals(id)) {
                return c;
            }
        }
        return null;
    }
}
