package dev.isolate.maven;

import java.util.ArrayList;
import java.util.List;

/** Libraries from an artifact outside the dependency graph, resolved from the project's repositories. */
public class ArtifactLibraries {
    /** {@code groupId:artifactId[:extension[:classifier]]:version}; extension {@code so} for a bare library. */
    String coordinates;
    /** Glob patterns over archive entry names; none: every ELF shared object for a packaged platform, judged by its bytes. */
    List<String> includes = new ArrayList<>();
}
