package dev.isolate.maven.core;

import java.util.List;
import java.util.TreeSet;

/**
 * Why no project artifact matched a {@code <dependencyLibraries>} entry, in the words of what to fix: a
 * classifier the project does not have (jars name their platform classifiers every way: rocksdbjni's
 * {@code linux64}, netty's {@code linux-x86_64}, none at all for zstd-jni), a dependency in a scope the goal
 * does not resolve, or no such dependency at all.
 */
public final class MissingDependency {
    private MissingDependency() {}

    /**
     * @param classifiers the classifiers the project has the dependency with ({@code null} or empty: none),
     *                    empty when it does not have it among the resolved artifacts
     * @param scope       the scope it is declared with when it is declared but not resolved, else null
     */
    public static String message(String groupId, String artifactId, String classifier, List<String> classifiers, String scope) {
        String ga = groupId + ":" + artifactId;
        if (!classifiers.isEmpty()) {
            TreeSet<String> names = new TreeSet<>();
            classifiers.forEach(c -> names.add(c == null || c.isEmpty() ? "(none)" : c));
            return "dependency " + ga + " has no classifier '" + classifier + "'; this project has it with classifier"
                    + (names.size() == 1 ? " " : "s ") + String.join(", ", names) + ": fix the <classifier>"
                    + (names.contains("(none)") ? " (remove it for the artifact without one)" : "");
        }
        if (scope != null) {
            return "dependency " + ga + " has scope " + scope + "; <dependencyLibraries> takes compile and runtime dependencies";
        }
        return ga + (classifier == null ? "" : ":" + classifier) + " is not a dependency of this project";
    }
}
