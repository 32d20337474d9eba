// zstd-jni with no <includes>: the linux/amd64 and linux/aarch64 libraries, chosen from their bytes, isolated.
import java.security.MessageDigest
import java.util.zip.ZipFile

def its = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itSupport))
def log = new File(basedir, 'build.log').text
def target = new File(basedir, 'target')
def lib = 'libzstd-jni-1.5.7-21.so'
def jar = new File(localRepositoryPath, 'com/github/luben/zstd-jni/1.5.7-21/zstd-jni-1.5.7-21.jar')
assert jar.isFile() : "zstd-jni not resolved into ${jar}"

// One INFO line says what was taken for each platform and how much was skipped.
assert log.contains("[INFO] isolate: zstd-jni-1.5.7-21.jar: linux-aarch_64 linux/aarch64/${lib}, linux-x86_64 linux/amd64/${lib};"
        + ' 16 other native files skipped') : log
// Each skipped file is a DEBUG line with its reason; the FreeBSD one (same machine, same file name) among them.
assert log.contains("[DEBUG] isolate:   skipped freebsd/amd64/${lib}: ELF64 x86-64 shared object for FreeBSD (EI_OSABI 9): not for Linux")
assert log.contains("[DEBUG] isolate:   skipped darwin/aarch64/libzstd-jni-1.5.7-21.dylib: Mach-O arm64 (macOS): not ELF")
assert log.contains("[DEBUG] isolate:   skipped win/amd64/libzstd-jni-1.5.7-21.dll: PE x86-64 (Windows): not ELF")
assert log.contains("[DEBUG] isolate:   skipped linux/i386/${lib}: ELF32 i386 shared object: not a packaged machine")

// The report file: every native entry of the jar, one line each, taken or skipped.
def report = new File(target, 'isolate/inputs/selection.txt').readLines()
assert report[1] == jar.canonicalPath || report[1] == jar.path : report[1]
def lines = report.drop(2).collect { it.trim() }
assert lines.size() == 18 : lines
assert lines.findAll { it.startsWith('taken') } == ["taken   linux/aarch64/${lib} -> linux-aarch_64 (ELF64 AArch64 shared object)".toString(),
        "taken   linux/amd64/${lib} -> linux-x86_64 (ELF64 x86-64 shared object)".toString()]

// What went into the engine is exactly the jar's linux/amd64 (and linux/aarch64) entry, byte for byte.
def sha = { byte[] b -> MessageDigest.getInstance('SHA-256').digest(b).encodeHex().toString() }
def entry = { String name -> new ZipFile(jar).withCloseable { z -> z.getInputStream(z.getEntry(name)).bytes } }
def staged = new File(target, "isolate/inputs/com.github.luben-zstd-jni/linux-x86_64/${lib}")
assert staged.bytes == entry("linux/amd64/${lib}")
assert new File(target, "isolate/inputs/com.github.luben-zstd-jni/linux-aarch_64/${lib}").bytes == entry("linux/aarch64/${lib}")

// Isolated for both platforms: one library each, from that input, its zstd exports prefixed, its JNI names kept.
def machines = ['linux-x86_64': 'Advanced Micro Devices X86-64', 'linux-aarch_64': 'AArch64']
machines.each { platform, machine ->
    def index = new File(target, "classes/native/${platform}/isolate.index").readLines().findAll { !it.startsWith('#') }
    assert index.size() == 1 : "${platform}: ${index}"
    def f = index[0].split('\t')
    assert f[4] == lib : "${platform}: the member's original name: ${index[0]}"
    def out = new File(target, "classes/native/${platform}/${f[0]}")
    assert sha(out.bytes) == f[1]
    assert its.sh(['readelf', '-h', out.path]).contains("Machine:                           ${machine}")
    def syms = its.sh(['readelf', '-W', '--dyn-syms', out.path]).readLines().findAll { it =~ /\sGLOBAL\s/ && !(it =~ /\sUND\s/) }
            .collect { it.trim().split(/\s+/)[7].split('@')[0] }
    assert syms.contains('zjx_ZSTD_compress') && !syms.contains('ZSTD_compress') : "${platform}: ${syms.take(20)}"
    assert syms.contains('Java_com_github_luben_zstd_Zstd_compressUnsafe') : "${platform}: JNI names kept"
}
its.assertNoStackTrace(log)
return true
