// IT unbundled-glue: a JNI glue configured without the zlib it was linked against is warned about, keeps its
// names and gets no artifacts; under werror the warning fails the build, in POM terms.
def its = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itSupport))
def builds = its.builds(new File(basedir, 'build.log'))
assert builds.size() == 2 : builds
assert builds[0].contains('BUILD FAILURE') && builds[1].contains('BUILD SUCCESS')
def glue = new File(basedir, 'target/native/libzglue.so').path
def isolateLines = { String b -> b.readLines().findAll { it =~ /^\[\w+\] isolate/ } }

// 2: one warning naming the library it needs; the glue isolated under its own name, alone.
def libs = new File(basedir, 'target/classes/native/linux-x86_64')
assert isolateLines(builds[1]) == [
    "[INFO] isolate: linux-x86_64: 1 library isolated with prefix itglue_ -> ${libs.path}".toString(),
    "[WARNING] isolate: ${glue} needs libz.so.1, which is neither in the bundle nor a system library (unbundled-dependency)".toString(),
] : isolateLines(builds[1]).join('\n')
assert (libs.list() as List).sort() == ['isolate.index', 'libzglue.so']
assert its.sh(['readelf', '-d', '-W', new File(libs, 'libzglue.so').path]).contains('Library soname: [libzglue.so]')
def index = new File(libs, 'isolate.index').readLines().findAll { !it.startsWith('#') }
assert index.size() == 1 && index[0] ==~ /libzglue\.so\t[0-9a-f]{64}\t\d+\tlibzglue\.so\tlibzglue\.so\t-/ : index
// Nothing links against a JNI library: no stubs, linker script, header or manifest beside it.
assert new File(basedir, 'target/isolate/linux-x86_64').list() as List == ['libzglue.so']

// 1: werror (object-symbol allowed): the unbundled zlib fails the build, one line, POM terms.
def failure = builds[0].readLines().findAll { it.contains(glue) }
assert failure.size() == 1 : failure.join('\n')
assert failure[0].startsWith('[ERROR] Failed to execute goal dev.isolate:isolate-maven-plugin:')
assert failure[0].endsWith(": isolate: ${glue}: warnings are errors (<werror>): unbundled-dependency (needs libz.so.1, which is"
        + " neither in the bundle nor a system library); allow it with <allow>unbundled-dependency</allow> -> [Help 1]")
its.assertNoStackTrace(builds[0])
return true
