// Build 1 placed libitfail_z.so.1 and its index; build 2 failed on its input and removed them (and the
// fingerprint); build 3, skipping the goal, packaged no library.
def its = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itSupport))
def builds = its.builds(new File(basedir, 'build.log'))
assert builds.size() == 3 : "three builds in build.log, found ${builds.size()}"
assert builds[0].contains('BUILD SUCCESS') && builds[2].contains('BUILD SUCCESS')
assert builds[1].contains('BUILD FAILURE')

def nativeDir = new File(basedir, 'target/classes/native')
assert builds[0].contains('[INFO] isolate: linux-x86_64: 1 library isolated with prefix itfail_ -> '
        + new File(nativeDir, 'linux-x86_64').path)
def input = new File(basedir, 'target/in/libz.so.1').path
assert builds[1].readLines().any { it.startsWith('[ERROR] Failed to execute goal dev.isolate:isolate-maven-plugin:')
        && it.contains(": isolate: ${input}: e_ident[EI_MAG] at byte 0x0: not an ELF file") }
its.assertNoStackTrace(builds[1])
assert builds[2].readLines().findAll { it.startsWith('[INFO] isolate') } == ['[INFO] isolate: skipped (isolate.skip)']

def left = []
if (nativeDir.exists()) {
    nativeDir.eachFileRecurse { left << it }
}
assert left.isEmpty() : "left in ${nativeDir}: ${left}"
assert !new File(basedir, 'target/isolate/fingerprint').exists()
def jar = new File(basedir, 'target/failed-run-1.0.jar')
assert !its.entries(jar).any { it.startsWith('native/') } : its.entries(jar)
return true
