package dev.isolate.loader;

import java.nio.file.Path;
import java.util.List;

/**
 * One segregated load, from {@link NativeLoader} to {@link Segregation}: the bundle's libraries in load order (the
 * requested JNI library last), loaded into the bundle's own link-map namespace, and the classes whose {@code native}
 * methods are bound to it. The messages are here, in Java 17, so they are the same (and tested) on every JDK.
 *
 * @param bundle   what identifies the bundle's namespace: its index hash and directory
 * @param resource the index, for messages
 * @param order    absolute paths, dependencies first, the JNI library last
 * @param natives  the classes whose native methods are bound to the JNI library's {@code Java_*} functions
 * @param context  "'glue' for platform ..." for messages
 */
record SegregateRequest(String bundle, String resource, List<Path> order, List<Class<?>> natives, String context) {
    /** The first JDK whose {@code java.lang.foreign} is final (JEP 454). */
    static final int JDK = 22;
    /**
     * glibc's DL_NNS: link-map namespaces per process, the base one included. A 17th cannot exist; the loader
     * refuses it before glibc does, with a line that says what to do.
     */
    static final int NAMESPACES = 16;

    SegregateRequest {
        order = List.copyOf(order);
        natives = List.copyOf(natives);
    }

    Path library() {
        return order.get(order.size() - 1);
    }

    String oldJdk() {
        return "isolate-loader: cannot segregate " + context + " (" + resource + "): segregated loading needs JDK " + JDK
                + " or later (java.lang.foreign), this is JDK " + System.getProperty("java.version") + " at "
                + System.getProperty("java.home") + "; run on JDK " + JDK + "+ or package the bundle renamed (plugin <mode>rename</mode>)";
    }

    String musl() {
        return "isolate-loader: cannot segregate " + context + " (" + resource + "): musl's dynamic linker has no dlmopen"
                + " (link-map namespaces); package the bundle renamed (plugin <mode>rename</mode>)";
    }

    /** The refusal of namespace number {@link #NAMESPACES} + 1. */
    String tooManyNamespaces(List<String> holders) {
        return "isolate-loader: cannot segregate " + context + " (" + resource + "): it would be link-map namespace "
                + (NAMESPACES + 1) + " of this process and glibc has " + NAMESPACES + " (DL_NNS: the base one and "
                + (NAMESPACES - 1) + " for dlmopen), all in use by the bundles segregated before it (" + String.join(", ", holders)
                + "); package this bundle renamed (plugin <mode>rename</mode>) or segregate fewer";
    }

    /** A dlmopen failure: glibc's own text, and what to do about the one failure a user can fix with a setting. */
    String dlmopenFailed(Path file, String dlerror) {
        String hint = "";
        if (dlerror.contains("cannot allocate memory in static TLS block")) {
            hint = "; each namespace has its own libc and libraries whose initial-exec TLS comes from glibc's small static TLS"
                    + " surplus: start the JVM with GLIBC_TUNABLES=glibc.rtld.optional_static_tls=16384 (bytes; 512 by default)"
                    + " and see docs/loader.md";
        } else if (dlerror.contains("no more namespaces available")) {
            hint = "; other code in this process uses link-map namespaces too (glibc has " + NAMESPACES
                    + "): package this bundle renamed (plugin <mode>rename</mode>)";
        }
        return "isolate-loader: dlmopen(" + file + ") failed for " + context + ", member of " + resource + ": " + dlerror + hint;
    }
}
