// IT 7: build 1 skipped (one INFO line, nothing written); build 2 inspected (a report, no library).
import groovy.json.JsonSlurper

def its = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itSupport))
def builds = its.builds(new File(basedir, 'build.log'))
assert builds.size() == 2 && builds.every { it.contains('BUILD SUCCESS') } : builds
def isolateLines = { String b -> b.readLines().findAll { it =~ /^\[\w+\] isolate/ } }

// 1: skipped.
assert isolateLines(builds[0]) == ['[INFO] isolate: skipped (isolate.skip)']
def target = new File(basedir, 'target')
assert !its.entries(new File(target, 'inspect-and-skip-1.0.jar')).any { it.startsWith('native/') }

// 2: one summary line per member, and where the report is.
def json = new File(target, 'isolate/inspect-linux-x86_64.json')
def lines = isolateLines(builds[1])
assert lines.size() == 3 : lines.join('\n')
assert lines[0] ==~ /\[INFO\] isolate inspect linux-x86_64: libz\.so\.1: SONAME libz\.so\.1 -> libitins_z\.so\.1, \d+ renamed, \d+ kept, \d+ imports follow/
assert lines[1] ==~ /\[INFO\] isolate inspect linux-x86_64: libzstd\.so\.1: SONAME libzstd\.so\.1 -> libitins_zstd\.so\.1, \d+ renamed, \d+ kept, \d+ imports follow/
assert lines[2] == "[INFO] isolate inspect: report ${json.path}".toString()

// The report: both libraries, and what the summary lines said.
def report = new JsonSlurper().parse(json)
assert report.libraries*.soname == ['libz.so.1', 'libzstd.so.1']
assert report.libraries*.newSoname == ['libitins_z.so.1', 'libitins_zstd.so.1']
report.libraries.eachWithIndex { m, i ->
    assert m.platform == 'linux-x86_64' && m.prefix == 'itins_'
    assert !m.renamed.isEmpty() && m.renamed.every { it.newName == 'itins_' + it.name }
    assert lines[i].contains(", ${m.renamed.size()} renamed,")
}
assert report.libraries[0].renamed*.name.containsAll(['deflate', 'inflate', 'zlibVersion'])
assert report.libraries[1].renamed*.name.containsAll(['ZSTD_compress', 'ZSTD_decompress', 'ZSTD_versionNumber'])

// Nothing else written by either build: no native directory, no library, no fingerprint.
assert !new File(target, 'classes/native').exists()
assert new File(target, 'isolate').list() as List == ['inspect-linux-x86_64.json']
def libs = []
target.eachFileRecurse { if (it.name.contains('.so')) libs << it }
assert libs.isEmpty() : "libraries written: ${libs}"
return true
