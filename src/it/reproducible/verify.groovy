// IT 5: build copies of this project again under other time zones and umasks, and compare the outputs.
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.file.Files
import java.nio.file.attribute.PosixFilePermissions
import java.security.MessageDigest

def sha256 = { File f -> MessageDigest.getInstance('SHA-256').digest(f.bytes).encodeHex().toString() }
def mainJar = 'target/reproducible-1.0.jar'
def ours = ['target/reproducible-1.0-linux-x86_64.jar', 'target/reproducible-1.0-linux-x86_64-native-dev.zip',
        'target/classes/native/linux-x86_64/libitrepro_z.so.1', 'target/classes/native/linux-x86_64/libzglue.so',
        'target/classes/native/linux-x86_64/isolate.index']
def hashes = { File dir -> ([mainJar] + ours).collectEntries { [(it): sha256(new File(dir, it))] } }
def first = hashes(basedir)

/** Builds a copy of the sources in basedir/NAME under UMASK and TZ, and checks that it really ran so. */
def build = { String name, String umask, String tz, String offset, String gccMode ->
    def dir = new File(basedir, name)
    dir.deleteDir()
    new File(dir, 'src/main/java/dev/isolate/it').mkdirs()
    new File(dir, 'pom.xml').bytes = new File(basedir, 'pom.xml').bytes
    def java = 'src/main/java/dev/isolate/it/Repro.java'
    new File(dir, java).bytes = new File(basedir, java).bytes
    // The invoker's settings, pointing at the IT repository, which the first build filled: offline is enough.
    def settings = new File(dir, 'settings.xml')
    settings.text = new File(itSettings).text.replace('@localRepositoryUrl@', localRepositoryPath.toURI().toString())
    def mvn = new File(System.getProperty('maven.home'), 'bin/mvn').path
    def pb = new ProcessBuilder('sh', '-c', "umask ${umask} && exec \"\$@\"", 'sh', mvn, '-B', '-o', '-s', settings.path,
            "-Dmaven.repo.local=${localRepositoryPath}", "-Disolate.it.csrc=${itCsrc}", 'clean', 'package')
    pb.directory(dir).redirectErrorStream(true)
    pb.environment().put('TZ', tz)
    pb.environment().put('JAVA_HOME', System.getProperty('java.home'))
    def p = pb.start()
    def log = p.inputStream.text
    new File(dir, 'build.log').text = log
    assert p.waitFor() == 0 : "${name} failed:\n${log}"
    assert log =~ /Finished at: \S+\Q${offset}\E/ : "${name} did not run in ${tz}"
    def gccOut = new File(dir, 'target/native/libz.so.1').toPath()
    assert PosixFilePermissions.toString(Files.getPosixFilePermissions(gccOut)) == gccMode : "${name} did not run under umask ${umask}"
    return dir
}

/** The central directory of a zip, entry name -> every field but the local header offset (so: mode, time, crc, sizes). */
def central = { File f ->
    def b = ByteBuffer.wrap(f.bytes).order(ByteOrder.LITTLE_ENDIAN)
    def out = [:]
    for (int i = b.limit() - 22; i >= 0; i--) {
        if (b.getInt(i) != 0x06054b50) continue
        int at = b.getInt(i + 16)
        for (int n = 0; n < (b.getShort(i + 10) & 0xffff); n++) {
            assert b.getInt(at) == 0x02014b50
            int nameLen = b.getShort(at + 28) & 0xffff, extraLen = b.getShort(at + 30) & 0xffff, commentLen = b.getShort(at + 32) & 0xffff
            def rec = new byte[46 + nameLen + extraLen + commentLen]
            b.get(at, rec)
            def name = new String(rec, 46, nameLen, 'UTF-8')
            java.util.Arrays.fill(rec, 42, 46, (byte) 0) // the local header offset follows from the entries before
            out[name] = [mode: Integer.toOctalString(b.getInt(at + 38) >>> 16), record: rec.encodeHex().toString()]
            at += rec.length
        }
        return out
    }
    assert false : "no end of central directory in ${f}"
}

// umask 002 (Debian's default for users with their own group) in UTC+05:45: every output identical,
// the main jar included (plexus-archiver takes group/other write away from the modes it finds on disk).
def b002 = build('build-umask-002', '002', 'Asia/Kathmandu', '+05:45', 'rwxrwxr-x')
def h002 = hashes(b002)
([mainJar] + ours).each { assert first[it] == h002[it] : "${it} differs between the first build and ${b002.name}" }

// umask 027 in UTC+14: everything this plugin writes is identical, and so is every entry it put in the main jar.
def b027 = build('build-umask-027', '027', 'Pacific/Kiritimati', '+14:00', 'rwxr-x---')
def h027 = hashes(b027)
ours.each { assert first[it] == h027[it] : "${it} differs between the first build and ${b027.name}" }
def cen1 = central(new File(basedir, mainJar)), cen027 = central(new File(b027, mainJar))
assert cen1.keySet() as List == cen027.keySet() as List
def nativeEntries = cen1.keySet().findAll { it.startsWith('native/') }
assert nativeEntries.size() == 5 // native/, native/linux-x86_64/, the index, two libraries
nativeEntries.each { assert cen1[it] == cen027[it] : "${it} differs in the main jar under umask 027: ${cen1[it].mode} vs ${cen027[it].mode}" }
assert cen1['native/linux-x86_64/libitrepro_z.so.1'].mode == '100755' && cen1['native/linux-x86_64/isolate.index'].mode == '100644'
// The main jar itself is not: maven-jar-plugin records the modes javac and maven-archiver got from the umask
// (Repro.class 0640, its directories 0750). Not ours to fix; say so rather than hide it.
def differing = cen1.keySet().findAll { cen1[it] != cen027[it] }
println "reproducible: under umask 027 the main jar differs only in the modes of ${differing}"
differing.each { assert cen1[it].record.substring(0, 76) == cen027[it].record.substring(0, 76) : "${it}: more than the mode differs" }
return true
