// IT 11: the second execution on the first one's directories fails with one line naming both
// executions and the POM elements to change; with directories of its own, both bundles are written.
def its = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itSupport))
def log = new File(basedir, 'build.log').text
def builds = its.builds(new File(basedir, 'build.log'))
assert builds.size() == 2 : log
def first = builds[0].readLines()
def errors = first.findAll { it.startsWith('[ERROR] Failed to execute goal dev.isolate:isolate-maven-plugin:') }
assert errors.size() == 1 : builds[0]
def out = new File(basedir, 'target/classes/native').absolutePath
assert errors[0].contains(" (zstd) on project two-executions: isolate: execution 'zstd' would write <outputDirectory> ${out},"
        + " which execution 'zlib' of this module writes: give each execution its own <outputDirectory> and <workDirectory>,"
        + " or put every library of the jar in one execution -> [Help 1]") : errors[0]
assert first.any { it.contains('isolate: linux-x86_64: 1 library isolated with prefix ittwo_') } : 'the first execution ran'
its.assertNoStackTrace(log)

// Build 2 (after clean): each bundle in its own directory, each with its own index.
def index = { String dir -> new File(basedir, "target/${dir}/linux-x86_64/isolate.index").readLines().findAll { !it.startsWith('#') } }
assert index('classes/native').collect { it.split('\t')[0] } == ['libittwo_z.so.1']
assert index('zstd-native').collect { it.split('\t')[0] } == ['libittwo_zstd.so.1']
assert builds[1].contains('BUILD SUCCESS')
return true
