// Each failure is one line saying what to fix, and no stack trace.
def its = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itSupport))
def logFile = new File(basedir, 'build.log')
def builds = its.builds(logFile)
assert builds.size() == 3 : "three builds expected, got ${builds.size()}"
def prefix = "[ERROR] Failed to execute goal dev.isolate:isolate-maven-plugin:${projectVersion}:isolate (default) on project input-errors: isolate: "
def error = { String build -> build.readLines().find { it.startsWith('[ERROR] Failed to execute goal') } }

assert error(builds[0]) == prefix + "<dependencyLibraries>: dependency com.github.luben:zstd-jni has no classifier 'linux64'; this" +
        " project has it with classifier (none): fix the <classifier> (remove it for the artifact without one) -> [Help 1]"
assert error(builds[1]) == prefix + '<dependencyLibraries>: dependency com.github.luben:zstd-jni has scope test;' +
        ' <dependencyLibraries> takes compile and runtime dependencies -> [Help 1]'
def dir = basedir.canonicalFile
def expected = prefix + "no input libraries found: <fileSets> searched ${dir}/natives for [**/*.so, **/*.so.*, *.so, *.so.*];" +
        " ${dir} for [build/**/lib*.so.1] excluding [**/test/**] -> [Help 1]"
assert error(builds[2]) == expected.toString()

builds.each { assert it.contains('BUILD FAILURE') }
its.assertNoStackTrace(logFile.text)
assert !new File(basedir, 'target/classes/native').exists()
return true
