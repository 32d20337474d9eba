// The jar: the libraries as gcc wrote them and a version 2 index saying mode segregate. Then the jar on JDK 25 (the
// glue reaches the bundled zlib inside its namespace; java.util.zip the system's) and on this JDK 17 (refused).
import java.security.MessageDigest

def build = new File(basedir, 'build.log').text
assert build.contains('BUILD SUCCESS')
assert build.contains('isolate: linux-x86_64: 2 libraries packaged unmodified for segregated loading')
// The musl build (musl-gcc) is packaged for its own platform, with a warning: the loader cannot segregate on musl.
assert build.contains('isolate: linux-x86_64-musl: 1 library packaged unmodified for segregated loading')
assert build.contains("[WARNING] isolate: linux-x86_64-musl: musl's dynamic linker has no dlmopen, so the loader cannot segregate"
        + ' this bundle on musl; isolate it with <mode>rename</mode> in an execution of its own, or leave it out with <includes>')
assert !build.contains('[WARNING] isolate: linux-x86_64:') : 'no such warning for glibc'

def jar = new File(basedir, 'target/segregate-mode-1.0.jar')
def zip = new java.util.zip.ZipFile(jar)
def sha = { byte[] b -> MessageDigest.getInstance('SHA-256').digest(b).encodeHex().toString() }
for (name in ['libz.so.1', 'libzglue.so']) {
    def entry = zip.getEntry("native/linux-x86_64/${name}")
    assert entry != null : "missing ${name} in ${jar}"
    assert sha(zip.getInputStream(entry).bytes) == sha(new File(basedir, "target/native/${name}").bytes) : "${name} is not byte-identical"
}
assert zip.getEntry('native/linux-x86_64-musl/libz.so.1') != null && zip.getEntry('native/linux-x86_64-musl/isolate.index') != null
def index = zip.getInputStream(zip.getEntry('native/linux-x86_64/isolate.index')).getText('UTF-8').readLines()
assert index[0] == '# isolate native index 2' && index[1] == 'mode\tsegregate' : index
def members = index.findAll { !it.startsWith('#') && !it.startsWith('mode\t') }*.split('\t')
assert members.collect { it[0] } == ['libz.so.1', 'libzglue.so'] : members
assert members[0][3] == 'libz.so.1' && members[1][5] == 'libz.so.1' : members

def loader = new File(localRepositoryPath, "dev/isolate/isolate-loader/${projectVersion}/isolate-loader-${projectVersion}.jar")
def cache = new File(basedir, 'target/native-cache')
def run = { String java ->
    def p = [java, '--enable-native-access=ALL-UNNAMED', "-Disolate.native.dir=${cache}", '-cp', jar.path + ':' + loader.path,
             'dev.isolate.it.ZlibGlue'].execute()
    def out = new StringBuilder(), err = new StringBuilder()
    p.waitForProcessOutput(out, err)
    return [p.exitValue(), out.toString(), err.toString()]
}
def jdk25 = new File(isolateJdk25, 'bin/java')
assert jdk25.canExecute() : "segregated loading is tested on ${jdk25} (-Disolate.jdk25=JDK to change)"
def (code, out, err) = run(jdk25.path)
assert code == 0 : "JDK 25: exit ${code}\n${out}\n${err}"
assert out.contains('version 1.2.3-bundled-by-isolate') : "the glue reaches its bundled zlib: ${out}"
def crc = out.readLines().find { it.startsWith('crc ') }.split(' ')
assert crc[1] == crc[2] && out.contains('zip ok') : out

def (code17, out17, err17) = run(new File(System.getProperty('java.home'), 'bin/java').path)
assert code17 != 0
def line = err17.readLines().find { it.contains('isolate-loader:') }
assert line ==~ /.*isolate-loader: cannot segregate 'zglue' for platform linux-x86_64 .*: segregated loading needs JDK 22 or later \(java.lang.foreign\), this is JDK 17.*/ : err17
return true
