// Each published JNI jar through its own Java API, twice, with the system copy of the library it bundles
// preloaded (LD_PRELOAD) and LD_DEBUG=bindings, LD_BIND_NOW=1 (every reference bound at load, so the count does
// not depend on which code ran): "original" lets the jar's loader load its own copy (the control), "isolated"
// loads the copy this build isolated, through the recipe of docs/jni-jars.md (RealJars.java). Counted: bindings
// from the JNI library into the preloaded system copies (the clash), and unversioned ones into the JVM's
// libstdc++ (the library's own C++ runtime definitions, interposed by the JVM's).
import java.util.zip.ZipFile

def its = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itSupport))
def target = new File(basedir, 'target')
def java = new File(System.getProperty('java.home'), 'bin/java').path
def jar = new File(target, 'real-jars-1.0.jar')
def libs = new File(target, 'lib').listFiles().findAll { it.name.endsWith('.jar') }.sort()
def cpIsolated = ([jar] + libs).join(':')
def cpOriginal = ([new File(target, 'classes')] + libs.findAll { !it.name.startsWith('isolate-loader') }).join(':')
def sys = '/usr/lib/x86_64-linux-gnu'
def cache = new File(target, 'native-cache')

// The bundle: one member per jar, each under the file name its own loader knows.
def d = 'native/linux-x86_64/'
def members = ['libzstd-jni-1.5.7-21.so', 'libsnappyjava.so', 'liblz4-java.so', 'libsqlitejdbc.so', 'libjffi-1.2.so',
               'libjnidispatch.so', 'libnetty_tcnative_linux_x86_64.so', 'librocksdbjni-linux64.so']
assert its.entries(jar).findAll { it.startsWith(d) && it != d }.sort() == (members.collect { d + it } + [d + 'isolate.index']).sort()
// The index's original name of each member is its published file name: none has a plain SONAME (JNA's is a
// path, "../build/libjnidispatch.so", netty's "libnetty_tcnative-@VERSION@.so"). NativeLoader.load finds them by it.
def index = new File(target, 'classes/native/linux-x86_64/isolate.index').readLines().findAll { !it.startsWith('#') }*.split('\t')
assert index.collectEntries { [it[0], it[4]] } == members.collectEntries { [it, it] }
// sqlite-jdbc also ships musl builds (Linux-Musl/): packaged for the musl platforms, one index each, the x86_64 one
// loading under musl's own dynamic linker (Debian's musl, as on Alpine) with its JNI names resolving into it.
['linux-x86_64-musl', 'linux-aarch_64-musl'].each { p ->
    assert its.entries(jar).findAll { it.startsWith("native/${p}/") }.sort() == ["native/${p}/", "native/${p}/isolate.index", "native/${p}/libsqlitejdbc.so"]
}
def musl = new File(target, 'musl'); musl.mkdirs()
new File(musl, 'jnicheck.c').text = '''#include <dlfcn.h>
#include <stdio.h>
int main(int argc, char **argv) {
    void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!h) { printf("dlopen: %s\\n", dlerror()); return 1; }
    for (int i = 2; i < argc; i++) if (!dlsym(h, argv[i])) { printf("dlsym %s: %s\\n", argv[i], dlerror()); return 2; }
    printf("ok %d\\n", argc - 2);
    return 0;
}
'''
its.sh(['musl-gcc', '-o', new File(musl, 'jnicheck').path, new File(musl, 'jnicheck.c').path]) // .ci/run installs musl-tools
def muslLib = new File(musl, 'libsqlitejdbc.so')
new ZipFile(jar).withCloseable { z -> muslLib.bytes = z.getInputStream(z.getEntry('native/linux-x86_64-musl/libsqlitejdbc.so')).bytes }
assert its.sh([new File(musl, 'jnicheck').path, muslLib.path, 'JNI_OnLoad', 'Java_org_sqlite_core_NativeDB__1open_1utf8']).trim() == 'ok 2'

// lz4-java and RocksDB look their library up on java.library.path only: an unpacked copy of the bundle.
def unpacked = new File(target, 'unpacked'); unpacked.mkdirs()
new ZipFile(jar).withCloseable { z ->
    z.entries().findAll { it.name.startsWith(d) && !it.directory }.each { e -> new File(unpacked, e.name.substring(d.length())).bytes = z.getInputStream(e).bytes }
}
def fromUnpacked = ["-Djava.library.path=${unpacked}", "-Disolate.native.from=${unpacked}"]*.toString()

// name, what its mapped file name contains, the system copies preloaded, JVM options for the isolated run,
// whether the original binds into the preloaded copies.
def cases = [
    [jar: 'zstd', keys: ['zstd-jni'], preload: ["${sys}/libzstd.so.1"], clash: false],       // DT_SYMBOLIC, versioned LOCAL_ZSTD
    [jar: 'snappy', keys: ['snappyjava'], preload: ["${sys}/libsnappy.so.1"], clash: false, cxx: true],
    [jar: 'lz4', keys: ['lz4-java'], preload: ["${sys}/liblz4.so.1"], clash: true, opts: fromUnpacked],
    [jar: 'sqlite', keys: ['sqlitejdbc'], preload: ["${sys}/libsqlite3.so.0"], clash: false],  // sqlite3_* hidden
    [jar: 'jffi', keys: ['jffi'], preload: ["${sys}/libffi.so.8"], clash: true],
    [jar: 'jna', keys: ['jnidispatch', '/JNA/temp/jna'], preload: ["${sys}/libffi.so.8"], clash: false],  // its libffi is hidden
    [jar: 'netty', keys: ['netty_tcnative'], preload: ["${sys}/libssl.so.3", "${sys}/libcrypto.so.3"], clash: false],
    [jar: 'rocksdb', keys: ['rocksdbjni'], preload: ['libzstd.so.1', 'libsnappy.so.1', 'liblz4.so.1', 'libbz2.so.1.0', 'libz.so.1'].collect { "${sys}/${it}" },
     clash: true, cxx: true, opts: fromUnpacked],
]
// A missing system copy would only make LD_PRELOAD warn, and the counts prove nothing: .ci/run installs them.
cases.collectMany { it.preload }.unique().each { assert new File(it.toString()).isFile() : "missing ${it}: apt-get install the package .ci/run names" }
def ldDir = new File(target, 'ld-debug'); ldDir.mkdirs()
def binding = ~/binding file (\S+) \[\d+\] to (\S+) \[\d+\]: \w+ symbol `([^']+)'( \[[^\]]+\])?/

def run = { Map c, String mode, List<String> opts ->
    def name = "${c.jar}-${mode}"
    ldDir.listFiles().findAll { it.name.startsWith(name + '.') }*.delete()
    def cmd = [java, "-Disolate.native.dir=${cache}"] + opts + ['-cp', mode == 'original' ? cpOriginal : cpIsolated, 'dev.isolate.it.RealJars', c.jar,
               mode == 'original' ? 'original' : 'isolated']
    def env = System.getenv().collect { k, v -> "${k}=${v}" } + ["LD_PRELOAD=${c.preload.join(' ')}", 'LD_DEBUG=bindings', 'LD_BIND_NOW=1',
               "LD_DEBUG_OUTPUT=${new File(ldDir, name)}"]
    def p = cmd*.toString().execute(env*.toString(), basedir)
    def out = new StringBuilder(), err = new StringBuilder()
    p.waitForProcessOutput(out, err)
    assert p.exitValue() == 0 : "${name}: exit ${p.exitValue()}\n${out}\n${err}"
    def lines = out.toString().readLines()
    assert lines.any { it.startsWith("ok ${c.jar}") } : "${name}: ${out}"
    def mapped = lines.findAll { it.startsWith('mapped ') }.collect { it.substring(7).replace(' (deleted)', '') }
        .findAll { m -> !m.endsWith('.jar') && c.keys.any { m.contains(it) } }
    def bindings = ldDir.listFiles().findAll { it.name.startsWith(name + '.') }.collectMany { it.readLines() }
        .collect { binding.matcher(it) }.findAll { it.find() }.collect { [from: it.group(1), to: it.group(2), sym: it.group(3), ver: it.group(4)] }
    def fromLib = bindings.findAll { mapped.contains(it.from) }
    def preloaded = c.preload*.toString() // GStrings: never equal to a String
    def intoSystem = fromLib.findAll { b -> preloaded.contains(b.to) }
    def cxx = fromLib.findAll { it.to.endsWith('/libstdc++.so.6') && it.ver == null }
    println "${name}: ${c.jar} copy ${mapped}; bindings into ${c.preload*.replaceAll('.*/', '')}: ${intoSystem.size()}" +
            " (${intoSystem.countBy { it.to.replaceAll('.*/', '') }}); unversioned into libstdc++.so.6: ${cxx.size()}"
    return [mapped: mapped, all: fromLib, system: intoSystem, cxx: cxx]
}

def figures = []
cases.each { c ->
    def original = run(c, 'original', [])
    def isolated = run(c, 'isolated', c.opts ?: [])
    // One copy each time: the jar's own, or the isolated one from the isolate cache / the unpacked bundle.
    assert original.mapped.size() == 1 && !original.mapped[0].startsWith(cache.path) && !original.mapped[0].startsWith(unpacked.path) : original.mapped
    assert isolated.mapped.size() == 1 && (isolated.mapped[0].startsWith(cache.path + '/linux-x86_64/') || isolated.mapped[0].startsWith(unpacked.path + '/')) : isolated.mapped
    assert original.all.size() > 0 && isolated.all.size() > 0 : "LD_DEBUG=bindings saw the library bind nothing: ${c.jar}"
    // The isolated copy binds nothing into the preloaded system copy; the original does where it really clashes.
    assert isolated.system.isEmpty() : "${c.jar} isolated binds into the system copy: ${isolated.system.take(5)}"
    if (c.clash) {
        assert !original.system.isEmpty() : "${c.jar}: the control should bind into ${c.preload}"
    } else {
        assert original.system.isEmpty() : "${c.jar}: the original was expected not to clash: ${original.system.take(5)}"
    }
    // C++ libraries: their own runtime definitions are interposed by the JVM's libstdc++; isolated, only the C++
    // runtime ABI names the engine keeps on purpose (__cxa_*, __gxx_personality_v0) still are.
    if (c.cxx) {
        assert original.cxx.size() > isolated.cxx.size()
        assert isolated.cxx.every { it.sym.startsWith('__cxa_') || it.sym.startsWith('__gxx_') } : isolated.cxx*.sym.unique()
    }
    figures << "${c.jar}: original ${original.system.size()} / isolated ${isolated.system.size()} into the system copy; libstdc++ (unversioned) ${original.cxx.size()} / ${isolated.cxx.size()}"
}
// Without the recipe lz4-java loads its own copy beside the isolated one: two copies mapped, the check above sees it.
def both = run([jar: 'lz4', keys: ['lz4-java'], preload: ["${sys}/liblz4.so.1"]], 'isolated-without-recipe', [])
assert both.mapped.size() == 2 : "without java.library.path lz4-java extracts and loads its own copy too: ${both.mapped}"
new File(target, 'bindings.txt').text = figures.join('\n') + '\n'
figures.each { println it }
return true
