package dev.isolate.maven;

import java.util.ArrayList;
import java.util.List;

/**
 * Libraries from a project dependency: the dependency's file itself when it is a {@code .so}, or the
 * entries of a jar/zip matching {@code includes}.
 */
public class DependencyLibraries {
    /** The dependency's groupId. */
    String groupId;
    /** The dependency's artifactId. */
    String artifactId;
    /** Its classifier, if the dependency has several. */
    String classifier;
    /** Glob patterns over archive entry names; none means every {@code *.so} and {@code *.so.*}. */
    List<String> includes = new ArrayList<>();
}
