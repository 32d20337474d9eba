package dev.isolate.maven.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MissingDependencyTest {
    @Test
    void aClassifierTheProjectDoesNotHaveIsNamedWithTheOnesItHas() {
        assertEquals("dependency com.github.luben:zstd-jni has no classifier 'linux64'; this project has it with classifier (none):"
                + " fix the <classifier> (remove it for the artifact without one)",
                MissingDependency.message("com.github.luben", "zstd-jni", "linux64", Arrays.asList((String) null), null));
        assertEquals("dependency io.netty:netty-tcnative-boringssl-static has no classifier 'linux-x86-64'; this project has it"
                + " with classifiers linux-aarch_64, linux-x86_64: fix the <classifier>",
                MissingDependency.message("io.netty", "netty-tcnative-boringssl-static", "linux-x86-64",
                        List.of("linux-x86_64", "linux-aarch_64", "linux-x86_64"), null));
    }

    @Test
    void aScopeTheGoalDoesNotSeeOrNoDependencyAtAllIsSaid() {
        assertEquals("dependency org.xerial:sqlite-jdbc has scope provided; <dependencyLibraries> takes compile and runtime dependencies",
                MissingDependency.message("org.xerial", "sqlite-jdbc", null, List.of(), "provided"));
        assertEquals("org.rocksdb:rocksdbjni:linux64 is not a dependency of this project",
                MissingDependency.message("org.rocksdb", "rocksdbjni", "linux64", List.of(), null));
    }
}
