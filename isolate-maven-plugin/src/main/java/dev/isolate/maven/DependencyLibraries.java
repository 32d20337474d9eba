package dev.isolate.maven;

import java.util.ArrayList;
import java.util.List;

/**
 * Libraries from a project dependency: the dependency's file itself when it is a {@code .so}, or the
 * libraries of a jar/zip (see {@code ArchiveEntries}).
 */
public class DependencyLibraries {
    /** The dependency's groupId. */
    String groupId;
    /** The dependency's artifactId. */
    String artifactId;
    /** Its classifier, if the dependency has several. */
    String classifier;
    /** Glob patterns over archive entry names; none: every ELF shared object for a packaged platform, judged by its bytes. */
    List<String> includes = new ArrayList<>();
}
