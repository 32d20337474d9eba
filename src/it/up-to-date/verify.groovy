// IT 4: the isolate lines of each of the five builds, in order.
def its = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itSupport))
def builds = its.builds(new File(basedir, 'build.log'))
assert builds.size() == 5 : "five builds in build.log, found ${builds.size()}"
builds.eachWithIndex { b, i -> assert b.contains('BUILD SUCCESS') : "build ${i + 1} failed:\n${b}" }
def isolateLines = { String b -> b.readLines().findAll { it.startsWith('[INFO] isolate: ') } }
def jarName = 'up-to-date-1.0-linux-x86_64.jar'
def zipName = 'up-to-date-1.0-linux-x86_64-native-dev.zip'
def attached = ["[INFO] isolate: attached linux-x86_64 jar ${jarName}".toString(),
        "[INFO] isolate: attached linux-x86_64-native-dev zip ${zipName}".toString()]

// 1: the work, then the attachment.
assert isolateLines(builds[0]) == [
        '[INFO] isolate: linux-x86_64: 1 library isolated with prefix itutd_ -> ' + new File(basedir, 'target/classes/native/linux-x86_64').path] + attached

// 2: one line saying it is up to date, no ELF work; the jar and zip are still attached, so install installs them,
// but not written again (the same modification times before and after the plugin ran).
def second = isolateLines(builds[1])
assert second.size() == 3 && second.subList(1, 3) == attached : second.join('\n')
def before = new File(basedir, 'target/mtimes-before').readLines(), after = new File(basedir, 'target/mtimes-after').readLines()
assert before.size() == 2 && before*.split(' ')*.getAt(0).sort() == [jarName, zipName].sort() : before
assert after == before : "the attached files were rewritten:\n${before.join('\n')}\n${after.join('\n')}"
assert second[0] ==~ /\[INFO\] isolate: up to date \(1 library unchanged, fingerprint [0-9a-f]{12}\), no ELF work done/ : second[0]
def repoJar = new File(localRepositoryPath, "dev/isolate/it/up-to-date/1.0/${jarName}")
assert builds[1].contains("Installing ${new File(basedir, 'target/' + jarName).path} to ${repoJar.path}")
assert repoJar.isFile()

// 3: an output changed behind the plugin's back is not trusted: isolated again.
assert isolateLines(builds[2])[0].startsWith('[INFO] isolate: linux-x86_64: 1 library isolated with prefix itutd_ ')
assert !builds[2].contains('up to date')

// 4: another prefix is another configuration: isolated again, and the old library is gone.
assert isolateLines(builds[3])[0].startsWith('[INFO] isolate: linux-x86_64: 1 library isolated with prefix itutd2_ ')
def dir = new File(basedir, 'target/classes/native/linux-x86_64')
assert dir.list().sort() == ['isolate.index', 'libitutd2_z.so.1']
def jar = new File(basedir, "target/${jarName}")
assert its.entries(jar).findAll { it.endsWith('.so.1') } ==
        ['native/linux-x86_64/libitutd2_z.so.1']
def zip = new File(basedir, "target/${zipName}")
assert its.entries(zip).sort() == ['itutd2_isolate_utdz.h', 'itutd2_isolate_utdz.json', 'libitutd2_z.so.1', 'libutdz.so',
        'libutdz_stubs.a'] : "the library and its artifacts under the link name of <linkNames>: ${its.entries(zip)}"

// 5: inspect@default, from the command line, with the configuration inside the <execution> (prefix itutd_).
assert builds[4].readLines().findAll { it.startsWith('[INFO] isolate inspect') }[0] ==~
        /\[INFO\] isolate inspect linux-x86_64: libz\.so\.1: SONAME libz\.so\.1 -> libitutd_z\.so\.1, .*/
return true
