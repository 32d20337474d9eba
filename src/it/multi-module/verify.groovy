// IT 6: both modules built in parallel, each with its own correct outputs; then both isolated copies and
// the system zlib are loaded into one process and each answers for itself.
def its = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itSupport))
def sh = its.&sh
def log = new File(basedir, 'build.log').text
assert log.contains('Using the MultiThreadedBuilder implementation with a thread count of 2')
assert log.contains('BUILD SUCCESS')

def check = { String module, String prefix ->
    def dir = new File(basedir, "${module}/target/classes/native/linux-x86_64")
    def lib = "lib${prefix}z.so.1"
    assert dir.list().sort() == ['isolate.index', lib] : "${module}: ${dir.list()}"
    assert sh(['readelf', '-d', '-W', new File(dir, lib).path]).contains("Library soname: [${lib}]")
    assert log.contains("[INFO] isolate: linux-x86_64: 1 library isolated with prefix ${prefix} -> ${dir.path}")
    [module + '-1.0.jar', module + '-1.0-linux-x86_64.jar'].each { jar ->
        def names = its.entries(new File(basedir, "${module}/target/${jar}"))
        assert names.contains("native/linux-x86_64/${lib}".toString()) && names.contains('native/linux-x86_64/isolate.index') : "${jar}: ${names}"
    }
    // Each module's work directory holds its own bundle only: the library and its artifacts for native consumers.
    def expected = [lib, 'libz_stubs.a', 'libz.so', "${prefix}isolate_z.h", "${prefix}isolate_z.json"].collect { it.toString() }.sort()
    assert (new File(basedir, "${module}/target/isolate/linux-x86_64").list() as List).sort() == expected
    return new File(dir, lib)
}
def a = check('gcc-lib', 'itmma_')
def b = check('system-zlib', 'itmmb_')

def c = new File(basedir, 'target/three.c')
c.parentFile.mkdirs()
c.text = '''#include <dlfcn.h>
#include <stdio.h>
const char *zlibVersion(void); /* the system zlib's (no zlib.h: zlib1g-dev is not needed) */
static const char *call(const char *lib, const char *sym) {
    void *h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
    const char *(*f)(void) = h ? (const char *(*)(void)) dlsym(h, sym) : 0;
    return f ? f() : dlerror();
}
int main(int argc, char **argv) {
    printf("%s\\n%s\\n%s\\n", call(argv[1], "itmma_zlibVersion"), call(argv[2], "itmmb_zlibVersion"), zlibVersion());
    return 0;
}
'''
def exe = new File(basedir, 'target/three').path
sh(['gcc', '-o', exe, c.path, '-ldl', '-l:libz.so.1'])
def lines = sh([exe, a.path, b.path]).readLines()
assert lines[0] == '1.2.3-bundled-by-isolate' : lines
assert lines[1] == lines[2] && lines[2] ==~ /1\.\d+\.\d+.*/ : "the isolated system zlib and the system zlib itself: ${lines}"
return true
