// IT 2: libraries from artifacts, isolated, attached per platform and installed.
import java.util.zip.ZipFile

def its = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itSupport))
def sh = its.&sh
def entries = its.&entries
def target = new File(basedir, 'target')
def log = new File(basedir, 'build.log').text

// The platform jar: exactly the four isolated libraries and the index, nothing else from the inputs
// (not native/README.txt, not the dependency's layout).
def platformJar = new File(target, 'native-dependency-1.0-linux-x86_64.jar')
def d = 'native/linux-x86_64/'
assert entries(platformJar) == ['META-INF/', 'META-INF/MANIFEST.MF', 'native/', d, d + 'isolate.index',
        d + 'libitdep_nd.so', d + 'libitdep_ndextra.so.2', d + 'libitdep_ndplain.so', d + 'libitdep_ndutil.so.1']
assert log.contains('isolate: attached linux-x86_64 jar native-dependency-1.0-linux-x86_64.jar')

// The main jar stays thin: the libraries went to <outputDirectory>, not target/classes.
assert !entries(new File(target, 'native-dependency-1.0.jar')).any { it.startsWith('native/') }

// Each library has the prefixed SONAME, its exports are renamed, and libnd needs the isolated libndutil.
def out = new File(target, 'check'); out.mkdirs()
new ZipFile(platformJar).withCloseable { z ->
    z.entries().findAll { it.name.startsWith(d) && !it.directory }.each { e ->
        new File(out, e.name.substring(d.length())).bytes = z.getInputStream(e).bytes
    }
}
def dyn = { String lib -> sh(['readelf', '-d', '-W', new File(out, lib).path]) }
def syms = { String lib -> sh(['readelf', '--dyn-syms', '-W', new File(out, lib).path]) }
['libitdep_nd.so', 'libitdep_ndextra.so.2', 'libitdep_ndplain.so', 'libitdep_ndutil.so.1'].each { lib ->
    assert dyn(lib).contains("Library soname: [${lib}]") : "${lib}: ${dyn(lib)}"
}
assert dyn('libitdep_nd.so').contains('Shared library: [libitdep_ndutil.so.1]')
assert !dyn('libitdep_nd.so').contains('Shared library: [libndutil.so.1]')
assert dyn('libitdep_nd.so').contains('Library runpath: [$ORIGIN]')
[['libitdep_nd.so', 'nd_answer'], ['libitdep_ndutil.so.1', 'ndutil_twice'], ['libitdep_ndplain.so', 'ndplain_value'],
 ['libitdep_ndextra.so.2', 'ndextra_value']].each { lib, sym ->
    def names = syms(lib).readLines().collect { it.trim().split(/\s+/)[-1] }
    assert names.contains('itdep_' + sym) && !names.contains(sym) : "${lib}: ${names}"
}

// Really load it: dlopen the isolated libnd (its runpath finds the isolated libndutil) and call it.
def c = new File(out, 'call.c')
c.text = '''#include <dlfcn.h>
#include <stdio.h>
int main(int argc, char **argv) {
    void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!h) { printf("dlopen: %s\\n", dlerror()); return 1; }
    int (*f)(void) = (int (*)(void)) dlsym(h, "itdep_nd_answer");
    printf("answer %d old-name %s\\n", f ? f() : -1, dlsym(h, "nd_answer") ? "found" : "absent");
    return 0;
}
'''
sh(['gcc', '-o', new File(out, 'call').path, c.path, '-ldl'])
assert sh([new File(out, 'call').path, new File(out, 'libitdep_nd.so').path]).trim() == 'answer 42 old-name absent'

// The index (as the platform jar carries it: build 2 removed target/isolated-native): libndutil before libnd, which needs it.
def index = new File(out, 'isolate.index').readLines().findAll { !it.startsWith('#') }
def order = index.collect { it.split('\t')[0] }
assert order.toSet() == ['libitdep_nd.so', 'libitdep_ndextra.so.2', 'libitdep_ndplain.so', 'libitdep_ndutil.so.1'] as Set
assert order.indexOf('libitdep_ndutil.so.1') < order.indexOf('libitdep_nd.so') : "load order: ${order}"
assert index.find { it.startsWith('libitdep_nd.so\t') }.split('\t')[5] == 'libitdep_ndutil.so.1'

// The native-dev zip: the isolated libraries and, per library, what native consumers link with
// (stub archive, linker script -l<name>, redirect header, manifest), and nothing else.
def devZip = new File(target, 'native-dependency-1.0-linux-x86_64-native-dev.zip')
def dev = ['libitdep_nd.so', 'libitdep_ndextra.so.2', 'libitdep_ndplain.so', 'libitdep_ndutil.so.1']
['nd', 'ndextra', 'ndplain', 'ndutil'].each { n -> dev += ["lib${n}_stubs.a", "lib${n}.so", "itdep_isolate_${n}.h", "itdep_isolate_${n}.json"].collect { it.toString() } }
assert entries(devZip).sort() == dev.sort() : entries(devZip)

// install put both attachments into the local repository under their classifiers, byte for byte.
def repo = new File(localRepositoryPath, 'dev/isolate/it/native-dependency/1.0')
[platformJar, devZip].each { f ->
    def installed = new File(repo, f.name)
    assert installed.isFile() : "not installed: ${installed}"
    assert installed.bytes == f.bytes : "installed copy differs: ${installed}"
}
// Build 2: includes that match nothing are an error naming the jar, not a bundle without its library.
def depJar = new File(localRepositoryPath, 'dev/isolate/it/native-dep/1.0/native-dep-1.0.jar').canonicalPath
def noMatch = log.readLines().findAll { it.contains('no entry matches') }
assert noMatch.size() == 1 && noMatch[0].endsWith(": isolate: ${depJar}: no entry matches [native/windows/*.dll]; check the <includes> -> [Help 1]") : noMatch
assert log.readLines().count { it.contains('BUILD FAILURE') } == 1
assert !new File(target, 'isolated-native/linux-x86_64').exists() : 'the failed build 2 left build 1\'s libraries to package'
return true
