// IT 3: each bad input fails its build with one line naming the file and what is wrong; no stack trace;
// nothing placed under target/classes/native.
def log = new File(basedir, 'build.log').text
def lines = log.readLines()

def failures = lines.findAll { it.contains('BUILD FAILURE') }
assert failures.size() == 3 : "three builds, three failures:\n${log}"

// The text file: the magic is wrong, at byte 0.
def bad = new File(basedir, 'src/bad-text/libbad.so').path
def textLines = lines.findAll { it.contains(bad) }
assert textLines.size() == 1 : "one line names ${bad}:\n${textLines.join('\n')}"
assert textLines[0].startsWith('[ERROR] Failed to execute goal dev.isolate:isolate-maven-plugin:')
assert textLines[0].contains(": isolate: ${bad}: e_ident[EI_MAG] at byte 0x0: not an ELF file (no \\x7fELF magic) -> [Help 1]")

// The truncated ELF: a table that runs past the end of the file, with the offsets and sizes.
def trunc = new File(basedir, 'target/bad-truncated/libtrunc.so.1').path
def truncLines = lines.findAll { it.contains(trunc) }
assert truncLines.size() == 1 : "one line names ${trunc}:\n${truncLines.join('\n')}"
assert truncLines[0] ==~ /.*: isolate: \Q${trunc}\E: Elf64_\w+(\[\d+\])?( \([^)]*\))? at byte 0x[0-9a-f]+: \d+ bytes needed but the file has \d+ left \(file size 30000\) -> \[Help 1\]/ : truncLines[0]

// The policy: named in POM terms (<werror>, <allow>), not the command line's --werror.
def sqlite = new File(basedir, 'target/policy/libsqlite3.so.0').path
def policyLines = lines.findAll { it.contains(sqlite) }
assert policyLines.size() == 1 : "one line names ${sqlite}:\n${policyLines.join('\n')}"
assert policyLines[0] ==~ /.*: isolate: \Q${sqlite}\E: warnings are errors \(<werror>\): object-symbol \(\d+, e\.g\. \w+\); allow a category with <allow><category><\/allow> -> \[Help 1\]/ : policyLines[0]
assert !log.contains('--werror') && !log.contains('--allow')

// No stack trace, ours or Maven's.
new GroovyClassLoader(getClass().classLoader).parseClass(new File(itSupport)).assertNoStackTrace(log)

// Nothing written: no native directory (not even a staging one), no fingerprint.
def nativeDir = new File(basedir, 'target/classes/native')
assert !nativeDir.exists() || nativeDir.list().length == 0 : "written: ${nativeDir.list()}"
assert !new File(basedir, 'target/isolate/fingerprint').exists()
// ...and no staging directory: the policy build had isolated libz there before libsqlite3 failed.
def work = new File(basedir, 'target/isolate')
assert !work.exists() || work.list().length == 0 : "left in target/isolate: ${work.list()}"
return true
