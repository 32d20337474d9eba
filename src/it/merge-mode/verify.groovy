// The jar: one libzglue.so (the glue and its zlib merged) under a version 1 index; its dynamic symbols the JNI names,
// the one zlib name the POM keeps (<keep>) and undefined imports only, nothing else of the zlib. Then the jar on this
// JDK 17: the glue reaches the zlib merged into it while java.util.zip, in the same process, uses the system's libz
// (the same names, still apart).
def its = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itSupport))
def builds = its.builds(new File(basedir, 'build.log'))
assert builds.size() == 2 && builds.every { it.contains('BUILD SUCCESS') } : builds
def build = builds[0]
assert build =~ /isolate: linux-x86_64: merged 2 libraries \((libzglue\.so, libz\.so\.1|libz\.so\.1, libzglue\.so)\), \d+ bytes; exports \d+ -> 3, / : build

def jar = new File(basedir, 'target/merge-mode-1.0.jar')
def zip = new java.util.zip.ZipFile(jar)
def natives = zip.entries().toList()*.name.findAll { it.startsWith('native/') && !it.endsWith('/') }.sort()
assert natives == ['native/linux-x86_64/isolate.index', 'native/linux-x86_64/libzglue.so'] : natives
def index = zip.getInputStream(zip.getEntry('native/linux-x86_64/isolate.index')).getText('UTF-8').readLines()
assert index[0] == '# isolate native index 1' : index // the loader loads it as any renamed member
def members = index.findAll { !it.startsWith('#') }*.split('\t')
assert members.size() == 1 && members[0][0] == 'libzglue.so' && members[0][3] == 'libzglue.so' && members[0][5] == '-' : members

def lib = new File(basedir, 'target/merged-libzglue.so')
lib.bytes = zip.getInputStream(zip.getEntry('native/linux-x86_64/libzglue.so')).bytes
def rows = its.sh(['readelf', '-W', '--dyn-syms', lib.path]).readLines().findAll { it =~ /^\s*\d+:/ }*.trim()*.split(/\s+/)
        .findAll { it.size() >= 8 } // the null symbol has no name
def defined = rows.findAll { it[6] != 'UND' }*.getAt(7)
def undefined = rows.findAll { it[6] == 'UND' }*.getAt(7)*.replaceAll(/@.*/, '')
assert defined.sort() == ['Java_dev_isolate_it_ZlibGlue_crc32', 'Java_dev_isolate_it_ZlibGlue_zlibVersion',
        'zlibVersion@@ZLIB_1.2.0'] : rows // kept with its version, as the zlib defines it
assert !undefined.isEmpty() && undefined.every { !(it in ['crc32', 'zlibVersion']) } : undefined // bound inside, not imported
def needed = { File f -> its.sh(['readelf', '-W', '-d', f.path]).readLines().findAll { it.contains('(NEEDED)') } }
assert needed(new File(basedir, 'target/native/libzglue.so')).any { it.contains('[libz.so.1]') } // as gcc linked it
assert needed(lib).every { !it.contains('libz') } : needed(lib) // the zlib is inside, not needed

def loader = new File(localRepositoryPath, "dev/isolate/isolate-loader/${projectVersion}/isolate-loader-${projectVersion}.jar")
def p = [new File(System.getProperty('java.home'), 'bin/java').path, "-Disolate.native.dir=${new File(basedir, 'target/native-cache')}",
         '-cp', jar.path + ':' + loader.path, 'dev.isolate.it.ZlibGlue'].execute()
def out = new StringBuilder(), err = new StringBuilder()
p.waitForProcessOutput(out, err)
assert p.exitValue() == 0 : "exit ${p.exitValue()}\n${out}\n${err}"
assert out.contains('loaded 1 libraries') && out.contains('version 1.2.3-bundled-by-isolate') : "the glue reaches its merged zlib: ${out}"
def crc = out.readLines().find { it.startsWith('crc ') }.split(' ')
assert crc[1] == crc[2] && out.contains('zip ok') : out
// The inspect goal in mode merge: the same merge planned (figures, the JSON report), no file written by it.
def inspect = builds[1].readLines().findAll { it.startsWith('[INFO] isolate inspect') }
assert inspect.size() == 2 : builds[1]
assert inspect[0] ==~ /\[INFO\] isolate inspect linux-x86_64: would have merged 2 libraries \((libzglue\.so, libz\.so\.1|libz\.so\.1, libzglue\.so)\), \d+ bytes; exports \d+ -> 3, .*/ : inspect[0]
def report = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/isolate/inspect-linux-x86_64.json'))
assert report.exports.sort() == ['Java_dev_isolate_it_ZlibGlue_crc32', 'Java_dev_isolate_it_ZlibGlue_zlibVersion', 'zlibVersion@ZLIB_1.2.0'] : report
assert inspect[1] == "[INFO] isolate inspect: report ${new File(basedir, 'target/isolate/inspect-linux-x86_64.json')}"
return true
