package dev.isolate.engine.policy;

/**
 * How a member's output is named, and why: said by {@code inspect}, its JSON and the manifest, so that a default
 * run never leaves a user guessing where a name came from.
 *
 * @param fileName the output's file name
 * @param source   where the new SONAME (and with it the file name and the default link name) came from
 * @param reason   why, in a few words for the report
 */
public record Naming(String fileName, Source source, String reason) {

    /** Where a member's names came from. */
    public enum Source {
        /** A JNI library keeps its SONAME (or has none) and its file name. */
        KEPT("kept"),
        /** Derived from the input's SONAME: the prefix after {@code lib}. */
        SONAME("soname"),
        /** Derived from the input's file name: it has no SONAME, or one that is not a plain library file name. */
        FILE_NAME("file-name"),
        /** Given by the user ({@code --soname}, {@code <sonames>}). */
        USER("user");

        private final String id;

        Source(String id) {
            this.id = id;
        }

        /** The name in reports and manifests. */
        public String id() {
            return id;
        }
    }
}
