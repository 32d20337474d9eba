package dev.isolate.maven;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** Libraries in the build: a directory and glob patterns relative to it ({@code **}{@code /*.so}). */
public class FileSet {
    /** The directory to search, e.g. {@code ${project.build.directory}/native}. */
    File directory;
    /** Glob patterns of files to take; none means every {@code *.so} and {@code *.so.*}. */
    List<String> includes = new ArrayList<>();
    /** Glob patterns of files to leave out. */
    List<String> excludes = new ArrayList<>();
}
